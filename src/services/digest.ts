import { DateTime } from 'luxon';
import cron from 'node-cron';
import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import { lockForTransaction } from '../db/locks';
import {
  arrivals,
  disputeStanding,
  fixOutcomes,
  logisticsIssues,
  negativeReviewsWithoutTheme,
  policyGaps,
  reviewQuotes,
  returnReasons,
  tagCountsByWeek,
  topProductPerTag,
} from '../db/queries/digest';
import { earliestCaseAt, getDigestByWeek, insertDigest, newestDigestWeek } from '../db/queries/digests';
import { enqueue } from '../db/queries/outbox';
import { reviewDigest } from '../db/queries/review-digest';
import type { Digest, StoredDigest } from '../db/schema';
import { buildDigestModel, CHART_WEEKS, type DigestModel, LOOP_LOOKBACK_WEEKS, LOOP_MAX, QUOTES_PER_THEME } from '../domain/digest';
import { NotAManager } from '../domain/errors';
import { lastFullWeek, type Period, PeriodError, weekOf, weekStart } from '../domain/period';
import type { Deps } from './deps';
import { isSlaManager } from './sla';
import { digestHeadline, digestSla } from './digest-metrics';
import { requestFigures } from '../db/queries/review-requests';

// The weekly voice-of-customer digest: works the week's figures out in SQL, renders them, and
// publishes each week once. The unique week on `digests` makes a second publication impossible;
// the advisory lock (the scheduled job's own) makes concurrent publishers wait for each other
// instead of working the same figures out twice.

export const DIGEST_JOB = 'weekly-digest';

/** Where digests are published: `channels.digest`, else the default channel. */
export function digestChannel(config: WorkspaceConfig): string {
  return config.channels.digest ?? config.channels.default;
}

/** "last week" (or nothing), or any date in the wanted week; a week that has not ended is refused. */
export function parseDigestWeek(text: string, now: Date, timezone: string): Period {
  const t = text.trim().toLowerCase();
  const week = t === '' || t === 'last week' ? lastFullWeek(now, timezone) : weekOf(t, timezone);
  if (week.end.getTime() > now.getTime()) {
    throw new PeriodError(`the ${week.label} has not ended yet; a digest covers a whole week (Monday to Sunday)`);
  }
  return week;
}

const isoDay = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toISODate()!;

/** Works out the week's figures. Every number is an aggregate in SQL. */
export async function computeDigest(db: Db, config: WorkspaceConfig, week: Period): Promise<DigestModel> {
  const tz = config.store.timezone;
  const { start, end } = week;
  const startLocal = DateTime.fromJSDate(start, { zone: tz });
  // Week boundaries in the store's time zone (a week across a clock change is 167 or 169 hours).
  const bounds = Array.from({ length: CHART_WEEKS }, (_, i) => startLocal.minus({ weeks: CHART_WEEKS - 1 - i }).toJSDate());
  bounds.push(end);
  const tagWeeks = await tagCountsByWeek(db, { bounds });
  const repeatedTags = tagWeeks
    .filter((t) => (t.counts[CHART_WEEKS - 1] ?? 0) >= (config.digest.thresholds[t.tag] ?? config.digest.repeated_question_threshold))
    .map((t) => t.tag);
  const reviews = await reviewDigest(db, { since: start, until: end });
  const standing = await disputeStanding(db, { end });
  return buildDigestModel({
    storeName: config.store.name,
    timezone: tz,
    weekStart: start,
    weekEnd: end,
    label: week.label,
    config: config.digest,
    tags: config.tags,
    tagWeeks,
    weekStarts: bounds.slice(0, CHART_WEEKS).map((b) => isoDay(b, tz)),
    topProducts: await topProductPerTag(db, { start, end, tags: repeatedTags }),
    arrivals: await arrivals(db, { start, end }),
    headline: await digestHeadline(db, config, week),
    reviews: { ...reviews.reviews, causes: reviews.causes, leads: reviews.leads },
    negativeWithoutTheme: await negativeReviewsWithoutTheme(db, { start, end }),
    requests: config.review_requests.enabled ? await requestFigures(db, { start, end }) : null,
    quotes: await reviewQuotes(db, { start, end, perTheme: QUOTES_PER_THEME }),
    returns: await returnReasons(db, { start, end, tags: config.digest.return_tags }),
    disputes: {
      opened: reviews.disputes.opened,
      won: reviews.disputes.won,
      lost: reviews.disputes.lost,
      byReason: reviews.disputes.byReason,
      ...standing,
    },
    logistics: await logisticsIssues(db, { start, end, tags: config.digest.logistics_tags }),
    sla: await digestSla(db, config, week),
    policyGaps: await policyGaps(db, { start, end }),
    fixes: await fixOutcomes(db, { start, end, lookbackWeeks: LOOP_LOOKBACK_WEEKS, limit: LOOP_MAX }),
  });
}

type RenderedDigest = Pick<StoredDigest, 'main' | 'thread'>;

export function storedDigest(rendered: RenderedDigest, model: DigestModel): StoredDigest {
  return { model, main: rendered.main, thread: rendered.thread };
}

/** Waits for the digest lock for the rest of the transaction (the scheduled job holds the same one). */
async function lockDigests(tx: Db): Promise<void> {
  await lockForTransaction(tx, DIGEST_JOB);
}

/**
 * Publishes the week's digest unless it already was: stores it and queues its delivery (main
 * message, thread, chart) in one transaction. `created: false` returns the earlier one.
 */
export async function publishWeek(
  tx: Db,
  deps: Pick<Deps, 'config' | 'renderDigest'>,
  params: { week: Period; by: string; now: Date },
): Promise<{ digest: Digest; created: boolean }> {
  const { config } = deps;
  await lockDigests(tx);
  const weekStart = isoDay(params.week.start, config.store.timezone);
  const existing = await getDigestByWeek(tx, { weekStart });
  if (existing) return { digest: existing, created: false };
  const model = await computeDigest(tx, config, params.week);
  const rendered = deps.renderDigest(config, model);
  const channel = digestChannel(config);
  const digest = await insertDigest(tx, {
    weekStart,
    periodStart: params.week.start,
    periodEnd: params.week.end,
    channel,
    content: storedDigest(rendered, model),
    publishedBy: params.by,
    createdAt: params.now,
  });
  // Cannot happen under the lock; the unique week still decides if it ever does.
  if (!digest) return { digest: (await getDigestByWeek(tx, { weekStart }))!, created: false };
  const orderKey = `digest:${digest.id}`;
  await enqueue(tx, [
    { kind: 'digest_post', channel, orderKey, payload: { digestId: digest.id } },
    ...rendered.thread.map((_, index) => ({ kind: 'digest_thread' as const, channel, orderKey, payload: { digestId: digest.id, index } })),
    // The chart (only when there is something to draw) last: an upload waiting on a missing
    // scope, or failing, holds back nothing else.
    ...(model.chart.series.length > 0 ? [{ kind: 'digest_chart' as const, channel, orderKey, payload: { digestId: digest.id } }] : []),
  ]);
  return { digest, created: true };
}

/** `/trustloop digest publish [week]`: managers only. */
export async function publishDigestCommand(deps: Deps, params: { userId: string; text: string }) {
  if (!isSlaManager(deps.config, params.userId)) throw new NotAManager(params.userId, 'publish the digest');
  const now = deps.clock();
  const week = parseDigestWeek(params.text, now, deps.config.store.timezone);
  const result = await deps.db.transaction((tx) => publishWeek(tx, deps, { week, by: params.userId, now }));
  if (result.created) deps.notify();
  deps.logger.info({ week: result.digest.weekStart, created: result.created, by: params.userId }, 'digest publish requested');
  return result;
}

/**
 * `/trustloop digest preview [week]`: a published week shows what was published; any other
 * week is worked out now and shown without being stored.
 */
export async function previewDigest(
  deps: Deps,
  params: { text: string },
): Promise<{ rendered: RenderedDigest; published: Digest | null; week: Period }> {
  const week = parseDigestWeek(params.text, deps.clock(), deps.config.store.timezone);
  const published = await getDigestByWeek(deps.db, { weekStart: isoDay(week.start, deps.config.store.timezone) });
  if (published) return { rendered: published.content, published, week };
  return { rendered: deps.renderDigest(deps.config, await computeDigest(deps.db, deps.config, week)), published: null, week };
}

/**
 * Whether the schedule has come round since the week ended: the digest for the last full week is
 * due from its first scheduled time on, so an app that was down then publishes when it is back.
 */
export function scheduleDueSince(schedule: string, timezone: string, since: Date, now: Date): boolean {
  const task = cron.createTask(schedule, () => {}, { timezone });
  try {
    // Minute by minute (a week is 10,080 minutes), from the week's end to now.
    const from = Math.ceil(since.getTime() / 60_000) * 60_000;
    for (let t = from; t <= now.getTime(); t += 60_000) if (task.match(new Date(t))) return true;
    return false;
  } finally {
    void task.destroy();
  }
}

/** How far back a scheduled run catches up on weeks that were never published. */
export const CATCH_UP_WEEKS = 8;

/**
 * The scheduled run (every few minutes, and at start): publishes, oldest first, every week whose
 * schedule has passed and that was not published, since the newest stored digest (or, before the
 * first, since the week of the earliest case; an install without cases publishes nothing), at
 * most CATCH_UP_WEEKS back. Nothing due costs one indexed lookup.
 */
export async function publishDueDigest(tx: Db, deps: Pick<Deps, 'config' | 'logger' | 'renderDigest'>, now: Date): Promise<Digest[]> {
  const { config } = deps;
  const tz = config.store.timezone;
  const last = lastFullWeek(now, tz);
  const newest = await newestDigestWeek(tx);
  if (newest !== null && newest >= isoDay(last.start, tz)) return [];
  const floor =
    newest !== null ? weekOf(newest, tz).end : await earliestCaseAt(tx).then((at) => (at ? weekStart(at, tz).toJSDate() : null));
  if (!floor) return [];
  const oldest = DateTime.fromJSDate(last.start, { zone: tz }).minus({ weeks: CATCH_UP_WEEKS - 1 });
  let start = DateTime.max(DateTime.fromJSDate(floor, { zone: tz }), oldest);
  const published: Digest[] = [];
  for (; start <= DateTime.fromJSDate(last.start, { zone: tz }); start = start.plus({ weeks: 1 })) {
    const week = weekOf(start.toISODate()!, tz);
    if (!scheduleDueSince(config.digest.schedule, tz, week.end, now)) break;
    const { digest, created } = await publishWeek(tx, deps, { week, by: 'schedule', now });
    if (!created) continue;
    deps.logger.info({ week: digest.weekStart, digestId: digest.id }, 'weekly digest published');
    published.push(digest);
  }
  return published;
}
