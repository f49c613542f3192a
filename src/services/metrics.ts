import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { cardPermalink, TICKET_SOURCES } from '../domain/case';
import { InvalidInput, NotAManager } from '../domain/errors';
import type { HomeReport, MetricsReport, MetricsScope, MineReport, OpenCaseLine, QueueReport } from '../domain/metrics-report';
import { type Period, PERIOD_HELP, PeriodError, parsePeriod } from '../domain/period';
import { formatTargetStatus } from '../domain/sla';
import { activeTargets, evaluateCaseSla, riskLevel } from '../domain/sla-case';
import { countOwnedOpen, listOwnedOpen, metricRows, metricsBreakdown, periodMetrics, queueCounts } from '../db/queries/metrics';
import { EXPORT_METRICS, type ExportMetric, MAX_EXPORT_ROWS, type MetricsFilter } from '../domain/metrics';
import { listSlaRisk, type SlaCaseRow } from '../db/queries/sla';
import { requireTeam } from './access';
import type { Deps } from './deps';
import { requestFigures } from '../db/queries/review-requests';
import { isSlaManager } from './sla';

// /trustloop metrics, queue, mine and export, and the App Home tab. Who sees what:
// - team metrics (every case, broken down by source, tag and agent) and exports: managers
//   (team.managers in the workspace config, and the SLA policies' managers);
// - /trustloop mine (my open cases and the figures of the cases I own) and /trustloop queue
//   (open cases by status and age, no one's performance): anyone on the support team.

const SCOPE_SOURCES = [...TICKET_SOURCES, 'review', 'dispute'];

export interface MetricsArgs {
  period: Period;
  filter: MetricsFilter;
  /** What the filter narrows the report to. */
  scope: MetricsScope | null;
}

/**
 * "[period] [channel|source]": the period as src/domain/period.ts reads it (default 7d), then
 * optionally a channel (as Slack escapes a #mention) or a source name.
 */
export function parseMetricsArgs(text: string, now: Date, timezone: string): MetricsArgs {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const last = words[words.length - 1];
  const filter: MetricsFilter = {};
  let scope: MetricsScope | null = null;
  const channel = last ? /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(last) : null;
  if (channel) {
    filter.channelId = channel[1]!;
    scope = { channelId: channel[1]! };
    words.pop();
  } else if (last && SCOPE_SOURCES.includes(last.toLowerCase())) {
    filter.source = last.toLowerCase();
    scope = { source: filter.source };
    words.pop();
  } else if (last?.startsWith('#')) {
    throw new InvalidInput(`I can't see which channel "${last}" is: pick it from the list as you type, so Slack links it.`);
  }
  try {
    return { period: parsePeriod(words.join(' '), now, timezone), filter, scope };
  } catch (err) {
    if (err instanceof PeriodError) throw new InvalidInput(`${err.message}. Periods: ${PERIOD_HELP}.`);
    throw err;
  }
}

function periodDetail(p: Period, timezone: string): string {
  const f = (d: Date) => DateTime.fromJSDate(d, { zone: timezone }).toFormat('d LLL yyyy HH:mm');
  return `${f(p.start)} – ${f(p.end)} vs ${f(p.previous.start)} – ${f(p.previous.end)} (${timezone})`;
}

async function report(
  deps: Deps,
  args: MetricsArgs,
  opts: { title: string; breakdowns: boolean; exportHint: string | null },
): Promise<MetricsReport> {
  const { period, filter } = args;
  const p = { start: period.start, end: period.end, filter };
  const wanted = opts.breakdowns
    ? [
        ...(filter.source === undefined ? [{ title: 'By source', by: 'source' as const }] : []),
        { title: 'By tag', by: 'tag' as const },
        { title: 'By agent', by: 'owner' as const },
      ]
    : [];
  // Independent queries: on a pool they run side by side.
  const [current, previous, ...rows] = await Promise.all([
    periodMetrics(deps.db, deps.config, p),
    periodMetrics(deps.db, deps.config, { ...period.previous, filter }),
    ...wanted.map((b) => metricsBreakdown(deps.db, deps.config, { ...p, by: b.by })),
  ]);
  const breakdowns = wanted.map((b, i) => ({ title: b.title, by: b.by, rows: rows[i]! }));
  // Review requests belong to the whole store, like reviews: shown on the team's unfiltered figures.
  const requests =
    opts.breakdowns && current.reviews && deps.config.review_requests.enabled
      ? await requestFigures(deps.db, { start: period.start, end: period.end })
      : null;
  return {
    requests,
    title: opts.title,
    periodLabel: period.label,
    periodDetail: periodDetail(period, deps.config.store.timezone),
    scope: args.scope,
    current,
    previous,
    breakdowns,
    exportHint: opts.exportHint,
  };
}

function requireManager(deps: Deps, userId: string, what: string): void {
  if (!isSlaManager(deps.config, userId)) throw new NotAManager(userId, what);
}

/** `/trustloop metrics [period] [channel|source]`: the team's figures against the previous period. Managers only. */
export async function teamMetrics(deps: Deps, params: { userId: string; text: string }): Promise<MetricsReport> {
  requireManager(deps, params.userId, "see the whole team's metrics (`/trustloop mine` shows your own)");
  const args = parseMetricsArgs(params.text, deps.clock(), deps.config.store.timezone);
  return report(deps, args, {
    title: 'Team metrics',
    breakdowns: true,
    exportHint: `/trustloop export first_response ${params.text.trim() || '7d'}`,
  });
}

/** `/trustloop queue [channel|source]`: open cases by status and age. Anyone on the team. */
export async function queueReport(deps: Deps, params: { userId: string; text: string }): Promise<QueueReport> {
  await requireTeam(deps, { caseId: null, actor: params.userId, attempted: 'queue', what: 'see the queue', via: 'command' });
  const words = params.text.trim();
  const channel = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(words);
  if (words && !channel) throw new InvalidInput('`/trustloop queue` takes nothing, or a channel (pick it as you type so Slack links it).');
  const channelId = channel?.[1];
  const counts = await queueCounts(deps.db, { now: deps.clock(), ...(channelId ? { channelId } : {}) });
  return { channelId: channelId ?? null, counts };
}

const MINE_LIMIT = 40;

/** A person's open cases with their SLA state, most at risk first. */
async function openCaseLines(deps: Deps, userId: string, teamUrl: string | null): Promise<{ lines: OpenCaseLine[]; more: number }> {
  const now = deps.clock();
  const rows = await listOwnedOpen(deps.db, { ownerId: userId, limit: MINE_LIMIT + 1 });
  const lines = rows.slice(0, MINE_LIMIT).map((c) => openCaseLine(deps, c, now, teamUrl));
  const rank = { breached: 0, at_risk: 1, ok: 2 } as const;
  lines.sort((a, b) => rank[a.risk] - rank[b.risk]);
  const more = rows.length > MINE_LIMIT ? (await countOwnedOpen(deps.db, { ownerId: userId })) - MINE_LIMIT : 0;
  return { lines, more };
}

function openCaseLine(deps: Deps, c: SlaCaseRow, now: Date, teamUrl: string | null): OpenCaseLine {
  let slaText: string | null = null;
  let risk: OpenCaseLine['risk'] = 'ok';
  let mustEscalate = false;
  try {
    const e = evaluateCaseSla(deps.config.sla, c, now);
    risk = riskLevel(e, now);
    mustEscalate = e.mustEscalate;
    const active = activeTargets(e.state);
    const worst = active.find((t) => t.status === 'breached') ?? [...active].sort((a, b) => (a.remainingMs ?? 0) - (b.remainingMs ?? 0))[0];
    slaText = worst ? formatTargetStatus(worst, now) : null;
  } catch {
    // A schedule that cannot be worked out: the case is listed without its SLA line.
  }
  return {
    caseId: c.id,
    subject: c.subject,
    status: c.status,
    slaText,
    risk,
    mustEscalate,
    cardUrl: cardPermalink(teamUrl, c.channelId, c.slackTs),
    channelId: c.channelId,
  };
}

/** `/trustloop mine [period]`: my open cases, and the figures of the cases I own. Anyone on the team. */
export async function mineReport(deps: Deps, params: { userId: string; text: string; teamUrl: string | null }): Promise<MineReport> {
  await requireTeam(deps, { caseId: null, actor: params.userId, attempted: 'mine', what: 'see their cases', via: 'command' });
  const args = parseMetricsArgs(params.text, deps.clock(), deps.config.store.timezone);
  const { lines, more } = await openCaseLines(deps, params.userId, params.teamUrl);
  const mine = await report(
    deps,
    { ...args, filter: { ...args.filter, ownerId: params.userId } },
    { title: 'Your metrics', breakdowns: false, exportHint: null },
  );
  return { cases: lines, more, report: mine };
}

export interface MetricExport {
  filename: string;
  title: string;
  csv: string;
  rows: number;
  truncated: boolean;
}

/** `/trustloop export <metric> [period] [channel|source]`: the rows behind a figure as CSV. Managers only. */
export async function exportMetric(deps: Deps, params: { userId: string; text: string }): Promise<MetricExport> {
  requireManager(deps, params.userId, 'export metrics');
  const [first = '', ...rest] = params.text.trim().split(/\s+/);
  const metric = first.toLowerCase().replace(/-/g, '_') as ExportMetric;
  if (!EXPORT_METRICS.includes(metric)) {
    throw new InvalidInput(
      `Say which figure to export: ${EXPORT_METRICS.map((m) => `\`${m}\``).join(', ')}; then a period (${PERIOD_HELP}).`,
    );
  }
  const args = parseMetricsArgs(rest.join(' '), deps.clock(), deps.config.store.timezone);
  const rows = await metricRows(deps.db, {
    metric,
    start: args.period.start,
    end: args.period.end,
    filter: args.filter,
    limit: MAX_EXPORT_ROWS + 1,
  });
  const truncated = rows.length > MAX_EXPORT_ROWS;
  const kept = rows.slice(0, MAX_EXPORT_ROWS);
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: deps.config.store.timezone }).toFormat('yyyy-LL-dd');
  return {
    // The period's end is exclusive: the file is named after the last day it covers.
    filename: `trustloop-${metric}-${day(args.period.start)}-to-${day(new Date(args.period.end.getTime() - 1))}.csv`,
    title: `${metric.replace(/_/g, ' ')} · ${args.period.label}`,
    csv: toCsv(kept),
    rows: kept.length,
    truncated,
  };
}

/**
 * RFC 4180 CSV (csv-stringify): quotes, commas and line breaks are quoted, and a text cell that
 * starts with = + - @ (or a tab or carriage return) gets a leading ' so a spreadsheet shows it
 * rather than running it as a formula (customer text ends up in these files).
 */
export function toCsv(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]!);
  const cell = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'boolean' ? String(v) : v);
  return stringify(
    rows.map((r) => columns.map((c) => cell(r[c]))),
    // Any line break, not only the record delimiter, must be quoted or the row splits in two.
    { header: true, columns, escape_formulas: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ },
  );
}

// ---- App Home ----------------------------------------------------------------------------------

const HOME_SLA_CANDIDATES = 500;

/** The App Home tab: my open cases for everyone on the team; managers also get the team's queue, SLA health and this week. */
export async function homeView(deps: Deps, params: { userId: string; teamUrl: string | null }): Promise<HomeReport> {
  const now = deps.clock();
  if (!(await deps.team.isMember(params.userId)) && !isSlaManager(deps.config, params.userId)) return { onTeam: false };
  const { lines, more } = await openCaseLines(deps, params.userId, params.teamUrl);
  let team: Extract<HomeReport, { onTeam: true }>['team'] = null;
  if (isSlaManager(deps.config, params.userId)) {
    const queue: QueueReport = { channelId: null, counts: await queueCounts(deps.db, { now }) };
    let breached = 0;
    let atRisk = 0;
    // The cases most at risk are looked at; past that many the counts say they are at least that.
    const candidates = await listSlaRisk(deps.db, { now, scope: null, limit: HOME_SLA_CANDIDATES + 1 });
    const cappedAt = candidates.length > HOME_SLA_CANDIDATES ? HOME_SLA_CANDIDATES : null;
    for (const c of candidates.slice(0, HOME_SLA_CANDIDATES)) {
      try {
        const level = riskLevel(evaluateCaseSla(deps.config.sla, c, now), now);
        if (level === 'breached') breached++;
        else if (level === 'at_risk') atRisk++;
      } catch {
        // counted by neither
      }
    }
    const week = await report(
      deps,
      { period: parsePeriod('this week', now, deps.config.store.timezone), filter: {}, scope: null },
      { title: 'This week', breakdowns: false, exportHint: null },
    );
    team = { queue, sla: { breached, atRisk, cappedAt }, week };
  }
  return { onTeam: true, now, cases: lines, more, team };
}
