import type { Logger } from '../logger';
import type { Deps } from '../services/deps';
import { judgeTickets, unjudgedTickets } from '../services/tickets';

/** Cases judged in one transaction at most: a batch holds its row locks for a few milliseconds. */
const BATCH = 100;
/**
 * A case someone else holds (an SLA sweep's batch) is tried again shortly, for about two seconds;
 * after that its card's delivery judges it once the card's hold runs out.
 */
const BUSY_RETRY_MS = 100;
const BUSY_TRIES = 20;

// Judges tickets right after ingest has committed them, in the order they arrived, between
// requests: the helpdesk's request waits only for the insert, and the judgement (a few
// milliseconds of CPU and sometimes a cluster count) follows within moments. The cases queued
// meanwhile are judged together, in one transaction of a few statements (judgeTickets): a burst of
// tickets does not cost the database several round trips and a commit per case. A case this
// process never got to (it stopped first, or another replica stored it) is judged by its card's
// delivery, which never posts an unjudged card; at start-up the ones left over are queued here.

export class JudgeAfterIngest {
  private readonly queue: number[] = [];
  private readonly busyTries = new Map<number, number>();
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly log: Logger;

  constructor(private readonly deps: Pick<Deps, 'db' | 'config' | 'clock' | 'judgement' | 'judgementThread' | 'logger' | 'notify'>) {
    this.log = deps.logger.child({ component: 'judgement' });
  }

  /** Queues a case; the worker starts if it is idle. */
  add(caseId: number): void {
    // Stopping: the card's delivery judges it.
    if (this.stopped) return this.deps.notify();
    this.queue.push(caseId);
    this.running ??= this.drain();
  }

  /** Queues the cases stored but not judged before this process started. */
  async recover(): Promise<void> {
    const ids = await unjudgedTickets(this.deps, { limit: 10_000 });
    for (const id of ids) this.add(id);
    if (ids.length > 0) this.log.info({ cases: ids.length }, 'judging cases stored before the last stop');
  }

  /** Stops taking cases and waits for the batch being judged; the rest are judged by their card's delivery. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    await this.running;
  }

  /** Resolves once every queued case is judged (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private retryBusy(ids: readonly number[]): void {
    const again = ids.filter((id) => {
      const tries = (this.busyTries.get(id) ?? 0) + 1;
      if (tries > BUSY_TRIES) {
        this.busyTries.delete(id);
        return false;
      }
      this.busyTries.set(id, tries);
      return true;
    });
    if (again.length === 0) return;
    setTimeout(() => {
      for (const id of again) this.add(id);
    }, BUSY_RETRY_MS).unref();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.stopped) {
        // Let requests that arrived meanwhile run first: judging is the work that can wait.
        await new Promise((r) => setImmediate(r));
        const batch = this.queue.splice(0, BATCH);
        try {
          const { busy } = await judgeTickets(this.deps, { caseIds: batch, skipLocked: true });
          for (const id of batch) if (!busy.includes(id)) this.busyTries.delete(id);
          this.retryBusy(busy);
        } catch (err) {
          // Their cards' deliveries judge them before posting.
          this.log.error({ err, cases: batch.length }, 'could not judge the cases after ingest');
        }
        // The batch's cards (and any escalation posts) are due now: the dispatcher finds them judged
        // rather than racing this worker to judge them itself.
        this.deps.notify();
      }
    } finally {
      this.running = null;
    }
  }
}
