import type { Db } from '../db/client';
import { listFailed, outboxDepth, requeueFailedRows } from '../db/queries/outbox';

// `trustloop outbox status` and `trustloop outbox retry`: what is waiting to be delivered (to
// Slack, a mail server, a helpdesk), and the deliveries set aside for good, sent again once the
// cause is fixed (a channel invite, a new token, a corrected address).

const FAILED_SHOWN = 20;

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h": an age an operator reads at a glance. */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export async function outboxStatus(db: Db, say: (line: string) => void): Promise<number> {
  const depth = await outboxDepth(db);
  if (depth.length === 0) say('Nothing is waiting to be delivered.');
  else {
    const waiting = depth.reduce((n, d) => n + d.pending, 0);
    say(`Waiting to be delivered: ${waiting}`);
    say(`  ${'kind'.padEnd(20)}${'waiting'.padStart(8)}  oldest`);
    for (const d of depth) say(`  ${d.kind.padEnd(20)}${String(d.pending).padStart(8)}  ${formatAge(d.oldestAgeSeconds)}`);
  }
  const failed = await listFailed(db, { limit: FAILED_SHOWN });
  if (failed.total === 0) {
    say('No delivery has failed for good.');
    return 0;
  }
  say(`Failed for good (set aside): ${failed.total}${failed.total > failed.rows.length ? `, the newest ${failed.rows.length} shown` : ''}`);
  for (const f of failed.rows) {
    const parts = [`#${f.id}`, f.kind, f.channel, f.caseId ? `case ${f.caseId}` : null, f.failedAt ? `failed ${f.failedAt.toISOString()}` : null, f.lastError];
    say(`  ${parts.filter(Boolean).join('  ')}`);
  }
  say('Fix the cause, then: trustloop outbox retry <id> … (or --failed for all of them)');
  return 0;
}

export async function outboxRetry(db: Db, args: string[], say: (line: string) => void, complain: (line: string) => void): Promise<number> {
  const all = args.includes('--failed');
  const ids = args.filter((a) => a !== '--failed');
  if ((!all && ids.length === 0) || (all && ids.length > 0) || ids.some((a) => !/^#?\d+$/.test(a))) {
    complain('usage: trustloop outbox retry <id> [<id> …]  or  trustloop outbox retry --failed   (ids as `outbox status` lists them)');
    return 2;
  }
  const wanted = ids.map((a) => Number(a.replace('#', '')));
  const requeued = await requeueFailedRows(db, all ? { all: true } : { ids: wanted });
  if (requeued.length === 0) {
    say(all ? 'No delivery has failed for good: nothing to retry.' : 'None of those is a failed delivery: nothing to retry.');
  } else {
    say(`${requeued.length} ${requeued.length === 1 ? 'delivery' : 'deliveries'} put back in the queue (${requeued.map((id) => `#${id}`).join(', ')}); a running Trustloop sends them in order.`);
  }
  const skipped = wanted.filter((id) => !requeued.includes(id));
  if (skipped.length > 0) complain(`Not failed, so left alone: ${skipped.map((id) => `#${id}`).join(', ')}`);
  return skipped.length > 0 ? 1 : 0;
}
