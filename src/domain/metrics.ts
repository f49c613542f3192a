import { businessTimeBetween } from './business-hours';
import { policyFor, type SlaCase, slaTimelineOf } from './sla-case';
import type { SlaConfig } from '../config/sla';

// Business-time figures for the manager metrics, measured once when they happen (the first
// agent reply, each resolution) with the case's own SLA clock: its policy's hours, less the
// spans spent waiting on the customer. Stored on the case so the metrics stay plain SQL
// aggregates over indexed columns, and a later change of business hours does not rewrite history.

export interface MetricsFields {
  firstResponseBusinessMs?: number | null;
  firstResponseWithinSla?: boolean | null;
  resolutionBusinessMs?: number | null;
}

/**
 * What a change does to the stored metrics fields. `before` is the case as it was, `after` the
 * case with the change applied (status, first response, resolution and SLA bookkeeping).
 * - a new or earlier first response: its business time since receipt, and whether it met the target;
 * - a resolution: business time from receipt to it (a reopened case counts from its receipt,
 *   so its final resolution carries the whole time); a reopen clears it;
 * - an agent reply: one more on the count.
 */
export function trackMetrics(cfg: SlaConfig, before: SlaCase, after: SlaCase): MetricsFields {
  const patch: MetricsFields = {};
  const policy = policyFor(cfg, after);
  const pauses = slaTimelineOf(after).waiting;
  if (after.firstResponseAt && after.firstResponseAt.getTime() !== before.firstResponseAt?.getTime()) {
    const ms = measure(() => businessTimeBetween(after.receivedAt, after.firstResponseAt!, policy.schedule, pauses));
    const target = policy.targets.firstResponse;
    patch.firstResponseBusinessMs = ms;
    patch.firstResponseWithinSla = ms === null || target == null ? null : ms <= target * 60_000;
  }
  if (after.status === 'resolved' && before.status !== 'resolved') {
    const resolvedAt = after.resolvedAt ?? after.updatedAt ?? after.receivedAt;
    patch.resolutionBusinessMs = measure(() => businessTimeBetween(after.receivedAt, resolvedAt, policy.schedule, pauses));
  } else if (after.status !== 'resolved' && before.status === 'resolved') {
    patch.resolutionBusinessMs = null;
  }
  return patch;
}

/** A schedule that cannot be worked out must never stop a reply or a resolution: the figure is left out. */
function measure(f: () => number): number | null {
  try {
    return f();
  } catch {
    return null;
  }
}
