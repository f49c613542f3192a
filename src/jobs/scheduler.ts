import cron, { type ScheduledTask } from 'node-cron';
import type { Db } from '../db/client';
import { tryLockForTransaction } from '../db/locks';
import type { Logger } from '../logger';

// Scheduled jobs. node-cron does no coordination between replicas, so every run takes a
// Postgres advisory lock for the length of its transaction: one replica runs it, the others
// skip that tick. A job that throws is logged; the schedule goes on.

export interface Job {
  name: string;
  /** Cron expression (node-cron, with seconds allowed). */
  schedule: string;
  /** Time zone the schedule is read in (default UTC). */
  timezone?: string;
  run(tx: Db, now: Date): Promise<void>;
}

/** Runs `fn` inside a transaction holding the job's lock; false if another replica holds it. */
export async function runExclusive(db: Db, name: string, fn: (tx: Db) => Promise<void>): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await tryLockForTransaction(tx, name))) return false;
    await fn(tx);
    return true;
  });
}

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly clock: () => Date,
  ) {}

  /** Runs one job now (tests, and catching up at start-up). */
  async runNow(job: Job): Promise<boolean> {
    const started = Date.now();
    try {
      const ran = await runExclusive(this.db, job.name, (tx) => job.run(tx, this.clock()));
      this.logger.info({ job: job.name, ran, ms: Date.now() - started }, ran ? 'job ran' : 'job skipped: another replica has it');
      return ran;
    } catch (err) {
      this.logger.error({ job: job.name, err }, 'job failed');
      return false;
    }
  }

  /** Runs one job in the background now (a catch-up at start); stop() waits for it. */
  runInBackground(job: Job): void {
    const p = this.runNow(job).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  start(jobs: Job[]): void {
    for (const job of jobs) {
      const task = cron.schedule(job.schedule, () => this.runInBackground(job), {
        timezone: job.timezone ?? 'UTC',
        noOverlap: true,
        name: job.name,
      });
      this.tasks.push(task);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) await t.stop();
    this.tasks = [];
    await Promise.allSettled([...this.running]);
  }
}
