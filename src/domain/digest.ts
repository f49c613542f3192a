import { DateTime } from 'luxon';
import type { DigestConfig } from '../config/digest';
import type { TagGroup } from './tag-catalogue';
import type { RequestFigures } from './review-requests';

// The weekly voice-of-customer digest as figures: what changed against the previous week,
// which questions are asked so often that the page (not the reply) should change, and whether
// the fixes made in earlier weeks made their question stop. Pure: the aggregates come in, the
// model goes out; rendering is blocks/digest.ts.

export const CHART_WEEKS = 8;
export const TOP_TAGS = 10;
export const CHART_TAGS = 5;
export const QUOTES_PER_THEME = 2;
export const LOOP_LOOKBACK_WEEKS = 12;
/** Open fixes listed at most (/trustloop fixes); the rest are counted. */
export const FIX_LIST_MAX = 40;
export const LOOP_MAX = 20;

/** The subset of the period metrics the headline shows (nulls where there is no data). */
export interface HeadlineMetrics {
  cases: number;
  firstResponse: { medianMs: number | null; businessMedianMs: number | null };
  resolution: { medianMs: number | null; businessMedianMs: number | null };
  firstContactResolution: { share: number | null; firstContact: number; resolved: number };
  csat: { average: number | null; responses: number };
  reviews: { averageRating: number | null; count: number } | null;
}

export type HeadlineFormat = 'count' | 'duration' | 'percent' | 'score' | 'stars';

export interface HeadlineFigure {
  key: 'cases' | 'first_response' | 'resolution' | 'fcr' | 'csat' | 'rating';
  label: string;
  current: number | null;
  previous: number | null;
  format: HeadlineFormat;
  /** Whether a rise is good news (arrows are coloured by it). */
  higherIsBetter: boolean;
  /**
   * What the current figure is computed from, so a share or an average is never shown bare:
   * "0% (0 of 1)", "4.3 / 5 (12 ratings)". Null when there is nothing to count.
   */
  basis?: { part?: number; whole: number; noun: string } | null;
}

export interface TagLine {
  tag: string;
  label: string;
  group: TagGroup;
  current: number;
  previous: number;
}

export interface RepeatedQuestion extends TagLine {
  threshold: number;
  /** The product most of these cases were about, when at least half were about it. */
  product: { key: string; label: string; count: number } | null;
}

export interface ReviewTheme {
  theme: string;
  label: string;
  count: number;
  quotes: { body: string; rating: number; productTitle: string | null }[];
}

export interface LogisticsLine {
  country: string;
  carrier: string;
  count: number;
  tags: { tag: string; label: string; count: number }[];
}

export interface SlaLine {
  /** The source channel (email, live_chat, …). */
  channel: string;
  cases: number;
  /** Share (0..1) of first replies within the first-response target. */
  withinSla: number;
}

export interface LoopLine {
  fixId: number;
  tag: string;
  label: string;
  productLabel: string | null;
  target: string;
  ownerId: string;
  /** The local date the fix was marked done (ISO). */
  doneOn: string;
  before: number;
  since: number;
  fell: boolean;
}

/** A question the store's policy could not answer while replies were drafted, with what the customers wrote about. */
export interface PolicyGapLine {
  /** A policy gap (delivery_window, returns, refunds, exchanges, contact). */
  gap: string;
  /** For delivery times: the destination country (ISO code) the policy has no window for. */
  country: string | null;
  /** Cases whose drafts hit it this week. */
  count: number;
  /** What those customers wrote about, by reply type (delay, refund, …), most first. */
  types: { type: string; count: number }[];
}

export interface DigestModel {
  storeName: string;
  timezone: string;
  /** Monday (local), ISO date. */
  weekStart: string;
  label: string;
  periodStart: string;
  periodEnd: string;
  /** Nothing arrived and no dispute to report (closed in the week, due soon or at risk). */
  empty: boolean;
  headline: HeadlineFigure[];
  topTags: TagLine[];
  preSales: TagLine[];
  /** Cases the judgement said self-service could have answered (order tracking, size charts, …). */
  selfService: number;
  repeated: RepeatedQuestion[];
  reviews: {
    total: number;
    negative: number;
    themes: ReviewTheme[];
    /** Reviews whose writers had to reach a person (creators, bulk buyers…), by reason code. */
    leads: { total: number; byReason: Record<string, number> };
  };
  returns: { reason: string; label: string; count: number }[];
  reviewCauses: { cause: string; label: string; responses: number; page: number; product: number; supplier: number }[];
  disputes: {
    opened: number;
    dueSoon: number;
    won: number;
    lost: number;
    atRisk: { currency: string; amount: string; count: number }[];
    byReason: { code: string; label: string; count: number }[];
  };
  logistics: LogisticsLine[];
  /** Review requests after delivery, when the store sends them (absent in digests published before). */
  requests?: RequestFigures | null;
  sla: SlaLine[];
  /** Questions the policy could not answer (absent in digests published before it was counted). */
  policyGaps?: PolicyGapLine[];
  loop: LoopLine[];
  chart: { weeks: string[]; series: { tag: string; label: string; counts: number[] }[] };
}

export interface DigestInputs {
  storeName: string;
  timezone: string;
  weekStart: Date;
  weekEnd: Date;
  label: string;
  config: DigestConfig;
  tags: { id: string; label: string; group: TagGroup }[];
  /** Cases per tag for the CHART_WEEKS weeks ending with the digest's week (oldest first). */
  tagWeeks: { tag: string; counts: number[] }[];
  /** Local Monday of each of those weeks (ISO dates, oldest first). */
  weekStarts: string[];
  topProducts: { tag: string; productKey: string; productLabel: string; count: number }[];
  arrivals: { cases: number; reviews: number; selfService: number };
  headline: { current: HeadlineMetrics; previous: HeadlineMetrics };
  reviews: {
    total: number;
    negative: number;
    problemTags: Record<string, number>;
    causes: { causeTag: string; responses: number; page: number; product: number; supplier: number }[];
    leads?: { total: number; byReason: Record<string, number> };
  };
  negativeWithoutTheme: number;
  requests?: RequestFigures | null;
  quotes: { theme: string; body: string; rating: number; productTitle: string | null }[];
  returns: { reason: string; count: number }[];
  disputes: {
    opened: number;
    won: number;
    lost: number;
    dueSoon: number;
    atRisk: { currency: string; amount: string; count: number }[];
    /** Opened in the week by the provider's reason code (never counted as customer questions). */
    byReason: { code: string; label: string; count: number }[];
  };
  logistics: { country: string | null; carrier: string | null; tag: string; count: number }[];
  sla: SlaLine[];
  policyGaps?: { gap: string; country: string | null; type: string; count: number }[];
  fixes: FixOutcome[];
}

/** A fix the team marked done, with the cases of its tag (and product) the week before and this week. */
export interface FixOutcome {
  id: number;
  tag: string;
  productLabel: string | null;
  target: string;
  ownerId: string;
  doneAt: Date;
  /** Cases with the tag (and product) in the 7 days before the fix was marked done. */
  before: number;
  /** The same in the digest's week. */
  since: number;
}

const byCountThenName =
  <T extends { count: number }>(key: (t: T) => string) =>
  (a: T, b: T) =>
    b.count - a.count || key(a).localeCompare(key(b));

function disputesToReport(d: DigestInputs['disputes']): boolean {
  return d.opened + d.won + d.lost + d.dueSoon > 0 || d.atRisk.length > 0;
}

export function buildDigestModel(input: DigestInputs): DigestModel {
  const labels = new Map(input.tags.map((t) => [t.id, t]));
  const labelOf = (id: string) => labels.get(id)?.label ?? humanize(id);
  const last = input.weekStarts.length - 1;
  const lines: TagLine[] = input.tagWeeks
    .map(({ tag, counts }) => ({
      tag,
      label: labelOf(tag),
      group: labels.get(tag)?.group ?? 'other',
      current: counts[last] ?? 0,
      previous: counts[last - 1] ?? 0,
    }))
    .filter((l) => l.current > 0 || l.previous > 0)
    .sort((a, b) => b.current - a.current || b.previous - a.previous || a.tag.localeCompare(b.tag));

  const products = new Map(input.topProducts.map((p) => [p.tag, p]));
  const repeated: RepeatedQuestion[] = lines
    .filter((l) => l.current >= repeatedThreshold(input.config, l.tag))
    .map((l) => {
      const p = products.get(l.tag);
      return {
        ...l,
        threshold: repeatedThreshold(input.config, l.tag),
        product: p && p.count * 2 >= l.current ? { key: p.productKey, label: p.productLabel, count: p.count } : null,
      };
    });

  const quotesByTheme = new Map<string, DigestInputs['quotes']>();
  for (const q of input.quotes) quotesByTheme.set(q.theme, [...(quotesByTheme.get(q.theme) ?? []), q]);
  const themeCounts = { ...input.reviews.problemTags, ...(input.negativeWithoutTheme > 0 ? { other: input.negativeWithoutTheme } : {}) };
  const themes: ReviewTheme[] = Object.entries(themeCounts)
    .map(([theme, count]) => ({
      theme,
      label: labelOf(theme),
      count,
      quotes: (quotesByTheme.get(theme) ?? [])
        .slice(0, QUOTES_PER_THEME)
        .map(({ body, rating, productTitle }) => ({ body, rating, productTitle })),
    }))
    .sort(byCountThenName((t) => t.theme));

  const logistics = new Map<string, LogisticsLine>();
  for (const r of input.logistics) {
    const country = r.country ?? 'unknown country';
    const carrier = r.carrier ?? 'unknown carrier';
    const key = `${country}\u0000${carrier}`;
    const line = logistics.get(key) ?? { country, carrier, count: 0, tags: [] };
    line.count += r.count;
    line.tags.push({ tag: r.tag, label: labelOf(r.tag), count: r.count });
    logistics.set(key, line);
  }
  for (const l of logistics.values()) l.tags.sort(byCountThenName((t) => t.tag));

  const chartTags = lines.filter((l) => l.current > 0).slice(0, CHART_TAGS);
  const weekCounts = new Map(input.tagWeeks.map((t) => [t.tag, t.counts]));

  return {
    storeName: input.storeName,
    timezone: input.timezone,
    weekStart: DateTime.fromJSDate(input.weekStart, { zone: input.timezone }).toISODate()!,
    label: input.label,
    periodStart: input.weekStart.toISOString(),
    periodEnd: input.weekEnd.toISOString(),
    // Quiet only when there is nothing at all to report: disputes closed in the week, due soon or
    // still at risk are news even in a week when nothing arrived.
    empty: input.arrivals.cases === 0 && input.arrivals.reviews === 0 && !disputesToReport(input.disputes),
    headline: headlineFigures(input.headline.current, input.headline.previous),
    topTags: lines.filter((l) => l.current > 0).slice(0, TOP_TAGS),
    preSales: lines.filter((l) => l.group === 'pre_sales'),
    selfService: input.arrivals.selfService,
    repeated,
    reviews: {
      total: input.reviews.total,
      negative: input.reviews.negative,
      themes,
      leads: input.reviews.leads ?? { total: 0, byReason: {} },
    },
    requests: input.requests ?? null,
    returns: input.returns.map((r) => ({ ...r, label: r.reason === 'unspecified' ? 'No reason tagged' : labelOf(r.reason) })),
    reviewCauses: input.reviews.causes.map((c) => ({
      cause: c.causeTag,
      label: labelOf(c.causeTag),
      responses: c.responses,
      page: c.page,
      product: c.product,
      supplier: c.supplier,
    })),
    disputes: input.disputes,
    logistics: [...logistics.values()].sort(byCountThenName((l) => `${l.country} ${l.carrier}`)),
    sla: input.sla,
    policyGaps: policyGapLines(input.policyGaps ?? []),
    loop: input.fixes.map((f) => ({
      fixId: f.id,
      tag: f.tag,
      label: labelOf(f.tag),
      productLabel: f.productLabel,
      target: f.target,
      ownerId: f.ownerId,
      doneOn: DateTime.fromJSDate(f.doneAt, { zone: input.timezone }).toISODate()!,
      before: f.before,
      since: f.since,
      fell: f.since < f.before,
    })),
    chart: {
      weeks: input.weekStarts,
      series: chartTags.map((l) => ({ tag: l.tag, label: l.label, counts: weekCounts.get(l.tag) ?? [] })),
    },
  };
}

function policyGapLines(rows: NonNullable<DigestInputs['policyGaps']>): PolicyGapLine[] {
  const lines = new Map<string, PolicyGapLine>();
  for (const r of rows) {
    const key = `${r.gap}\u0000${r.country ?? ''}`;
    const line = lines.get(key) ?? { gap: r.gap, country: r.country, count: 0, types: [] };
    line.count += r.count;
    line.types.push({ type: r.type, count: r.count });
    lines.set(key, line);
  }
  for (const l of lines.values()) l.types.sort(byCountThenName((t) => t.type));
  return [...lines.values()].sort(byCountThenName((l) => `${l.gap} ${l.country ?? ''}`));
}

function headlineFigures(cur: HeadlineMetrics, prev: HeadlineMetrics): HeadlineFigure[] {
  // Business time where the metrics have it: that is what the SLA promises are made in.
  const fr = (m: HeadlineMetrics) => m.firstResponse.businessMedianMs ?? m.firstResponse.medianMs;
  const res = (m: HeadlineMetrics) => m.resolution.businessMedianMs ?? m.resolution.medianMs;
  return [
    { key: 'cases', label: 'Cases', current: cur.cases, previous: prev.cases, format: 'count', higherIsBetter: false },
    {
      key: 'first_response',
      label: 'First response (median)',
      current: fr(cur),
      previous: fr(prev),
      format: 'duration',
      higherIsBetter: false,
    },
    { key: 'resolution', label: 'Resolution (median)', current: res(cur), previous: res(prev), format: 'duration', higherIsBetter: false },
    {
      key: 'fcr',
      label: 'First contact resolution',
      current: cur.firstContactResolution.share,
      previous: prev.firstContactResolution.share,
      format: 'percent',
      higherIsBetter: true,
      basis: { part: cur.firstContactResolution.firstContact, whole: cur.firstContactResolution.resolved, noun: 'resolved' },
    },
    {
      key: 'csat',
      label: 'CSAT',
      current: cur.csat.average,
      previous: prev.csat.average,
      format: 'score',
      higherIsBetter: true,
      basis: { whole: cur.csat.responses, noun: 'rating' },
    },
    {
      key: 'rating',
      label: 'Average review rating',
      current: cur.reviews?.averageRating ?? null,
      previous: prev.reviews?.averageRating ?? null,
      format: 'stars',
      higherIsBetter: true,
      basis: cur.reviews ? { whole: cur.reviews.count, noun: 'review' } : null,
    },
  ];
}

export function humanize(id: string): string {
  const words = id.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "+25%", "−40%", "new", "±0%": the week-over-week change of a count. */
export function weekOverWeek(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? '±0%' : 'new';
  const pct = Math.round(((current - previous) / previous) * 100);
  return pct === 0 ? '±0%' : pct > 0 ? `+${pct}%` : `−${Math.abs(pct)}%`;
}

/** The weekly threshold for a tag: its own, else the workspace's. */
export function repeatedThreshold(cfg: DigestConfig, tag: string): number {
  return cfg.thresholds[tag] ?? cfg.repeated_question_threshold;
}
