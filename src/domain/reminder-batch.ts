import { nextOpening, type BusinessSchedule } from './business-hours';
import type { ReminderKind } from './sla';

// Batching of reminder DMs. Pure: a person with five breaching cases gets one DM listing them
// (capped, "and N more"), and a DM to someone outside their working hours is queued until
// their hours start. Thread messages and escalation-channel posts are not batched: they
// belong to one case each and go out at once.

export interface PendingDm<T> {
  /** Slack user id of the person to DM. */
  readonly recipient: string;
  readonly kind: ReminderKind;
  /** When the rung was crossed; older first within a kind. */
  readonly crossedAt: Date;
  /** What the DM lists (a case reference, its link, the target…), opaque here. */
  readonly item: T;
}

export interface DmBatch<T> {
  readonly recipient: string;
  /** Items to list, most severe first (escalation, breach, warning), then oldest first. */
  readonly shown: readonly T[];
  /** How many more there are beyond `shown` ("and 3 more"). */
  readonly hiddenCount: number;
  /** Every item, shown or not, so the caller can mark all of them sent. */
  readonly all: readonly T[];
  /** `now`, or the start of the recipient's next working hours. */
  readonly sendAt: Date;
  /** True when the DM must wait for the recipient's working hours. */
  readonly queued: boolean;
}

export interface BatchOptions {
  readonly now: Date;
  /** Most items listed in one DM (default 10). */
  readonly maxItems?: number;
  /** The recipient's working hours; null or undefined: any time. */
  readonly workingHours?: (recipient: string) => BusinessSchedule | null | undefined;
}

const SEVERITY: Record<ReminderKind, number> = { escalation: 0, breach: 1, warning: 2 };

export function batchDms<T>(pending: readonly PendingDm<T>[], options: BatchOptions): DmBatch<T>[] {
  const max = options.maxItems ?? 10;
  if (!(Number.isInteger(max) && max >= 1)) throw new RangeError(`maxItems must be a whole number ≥ 1, got ${max}`);
  const byRecipient = new Map<string, PendingDm<T>[]>();
  for (const p of pending) {
    const list = byRecipient.get(p.recipient) ?? [];
    list.push(p);
    byRecipient.set(p.recipient, list);
  }
  const batches: DmBatch<T>[] = [];
  for (const [recipient, list] of byRecipient) {
    const sorted = [...list].sort((a, b) => SEVERITY[a.kind] - SEVERITY[b.kind] || a.crossedAt.getTime() - b.crossedAt.getTime());
    const all = sorted.map((p) => p.item);
    const hours = options.workingHours?.(recipient) ?? null;
    const sendAt = hours ? nextOpening(options.now, hours) : options.now;
    batches.push({
      recipient,
      shown: all.slice(0, max),
      hiddenCount: Math.max(0, all.length - max),
      all,
      sendAt,
      queued: sendAt.getTime() > options.now.getTime(),
    });
  }
  return batches.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.recipient.localeCompare(b.recipient));
}

/** "and 3 more", or null when everything is listed. */
export function moreLine(batch: DmBatch<unknown>): string | null {
  return batch.hiddenCount > 0 ? `and ${batch.hiddenCount} more` : null;
}
