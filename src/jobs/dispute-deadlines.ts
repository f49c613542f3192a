import type { Deps } from '../services/deps';
import { sendDisputeReminders } from '../services/disputes/deadlines';
import type { Job } from './scheduler';

// Dispute respond-by reminders (src/services/disputes/deadlines.ts), every five minutes.

const DISPUTE_DEADLINE_JOB = 'dispute-deadlines';

export function disputeDeadlineJob(deps: Pick<Deps, 'config' | 'logger'>): Job {
  return {
    name: DISPUTE_DEADLINE_JOB,
    schedule: '*/5 * * * *',
    run: async (tx, now) => {
      const sent = await sendDisputeReminders(tx, deps, now);
      if (sent > 0) deps.logger.info({ sent }, 'dispute deadline reminders');
    },
  };
}
