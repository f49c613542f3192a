import { caseReminders } from '../schema';
import type { Db } from '../client';

export interface ReminderKey {
  caseId: number;
  target: string;
  cycleKey: string;
  level: string;
  dueAt: Date;
  superseded?: boolean;
}

/**
 * Records a reminder as sent. True only for the first caller: a second replica, a retried tick or
 * a restart gets false and must not send it. Call it in the transaction that enqueues the message.
 */
export async function recordReminder(db: Db, r: ReminderKey): Promise<boolean> {
  const rows = await db
    .insert(caseReminders)
    .values({ caseId: r.caseId, target: r.target, cycleKey: r.cycleKey, level: r.level, dueAt: r.dueAt, superseded: r.superseded ?? false })
    .onConflictDoNothing()
    .returning({ id: caseReminders.id });
  return rows.length > 0;
}
