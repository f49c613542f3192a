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

// ---- the figures managers read (computed by src/db/queries/metrics.ts, shown by blocks/metrics.ts)

export interface MetricsFilter {
  source?: string;
  channelId?: string;
  ownerId?: string;
}

export interface MetricsPeriod {
  start: Date;
  /** Exclusive. */
  end: Date;
  filter?: MetricsFilter;
}

export interface PeriodMetrics {
  cases: number;
  firstResponse: {
    count: number;
    medianMs: number | null;
    p90Ms: number | null;
    businessMedianMs: number | null;
    businessP90Ms: number | null;
    /**
     * Share (0..1) of cases that met the first-response target: replies within it, against those
     * replies plus the cases still unanswered whose target already passed (the SLA sweep logged
     * their breach). Null when no case had a target.
     */
    withinSla: number | null;
    /** Cases reported in the period, still unanswered, past their first-response target. */
    unansweredPastTarget: number;
  };
  resolution: {
    count: number;
    medianMs: number | null;
    p90Ms: number | null;
    businessMedianMs: number | null;
    businessP90Ms: number | null;
  };
  firstContactResolution: { resolved: number; firstContact: number; share: number | null };
  csat: { responses: number; average: number | null; satisfiedShare: number | null };
  reviews: { count: number; averageRating: number | null; negativeShare: number | null } | null;
}

export type BreakdownBy = 'source' | 'tag' | 'owner';

export interface BreakdownRow {
  /** The source, tag or owner; null for untagged or unowned cases. */
  key: string | null;
  cases: number;
  firstResponseMedianMs: number | null;
  firstResponseBusinessMedianMs: number | null;
  withinSla: number | null;
  resolved: number;
  resolutionMedianMs: number | null;
  resolutionBusinessMedianMs: number | null;
  firstContactShare: number | null;
  csatResponses: number;
  csatAverage: number | null;
}

/** A breakdown row before any figure is known: zero counts, no medians or shares. */
export function emptyBreakdownRow(key: string | null): BreakdownRow {
  return {
    key,
    cases: 0,
    firstResponseMedianMs: null,
    firstResponseBusinessMedianMs: null,
    withinSla: null,
    resolved: 0,
    resolutionMedianMs: null,
    resolutionBusinessMedianMs: null,
    firstContactShare: null,
    csatResponses: 0,
    csatAverage: null,
  };
}

/** Age buckets of open cases, since receipt. */
export const AGE_BUCKETS = [
  { key: 'under_4h', label: '< 4h', maxMs: 4 * 3_600_000 },
  { key: 'under_1d', label: '4–24h', maxMs: 24 * 3_600_000 },
  { key: 'under_3d', label: '1–3d', maxMs: 72 * 3_600_000 },
  { key: 'older', label: '> 3d', maxMs: Infinity },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['key'];

/** The export's metrics: each names the rows behind one figure of the report. */
export const EXPORT_METRICS = ['cases', 'first_response', 'resolution', 'fcr', 'csat', 'reviews'] as const;
export type ExportMetric = (typeof EXPORT_METRICS)[number];

/** At most this many rows go into one export (a file a person can open); the caller says when it was cut. */
export const MAX_EXPORT_ROWS = 50_000;
