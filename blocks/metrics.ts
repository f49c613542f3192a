import type { Button, HomeView, KnownBlock, SectionBlock } from '@slack/types';
import { caseRef, SOURCE_LABELS, STATUS_LABELS } from '../src/domain/case';
import { type RequestFigures, share } from '../src/domain/review-requests';
import { formatDuration } from '../src/domain/sla';
import { AGE_BUCKETS, type AgeBucket, type BreakdownBy, type BreakdownRow, type PeriodMetrics } from '../src/domain/metrics';
import type { HomeReport, MetricsReport, MetricsScope, MineReport, OpenCaseLine, QueueReport } from '../src/domain/metrics-report';
import type { Tag } from '../src/domain/tag-catalogue';
import { encodeContext, HOME, METRICS_BLOCK } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { channelLink, mentionAny, MUST_ESCALATE_MARK } from './sla';
import { LIMITS, escapeMrkdwn, formatCsat, formatRating, formatShare, plain, safeText, slackDate, squash } from './text';

// /trustloop metrics, queue and mine, and the App Home tab. Pure: figures and labels come in.

// ---- figures ---------------------------------------------------------------------------------

const pct = formatShare;
const dur = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));

/**
 * The change against the previous period: ↑ / ↓ with the size of the change (percent for
 * counts and times, points for shares, the difference for ratings); nothing when either side
 * has no figure.
 */
export function change(now: number | null, before: number | null, kind: 'relative' | 'points' | 'rating'): string {
  if (now === null || before === null) return '';
  const diff = now - before;
  if (kind === 'relative') {
    if (before === 0) return now === 0 ? ' → 0%' : ' ↑ new';
    const p = Math.round((diff / before) * 100);
    return p === 0 ? ' → 0%' : ` ${p > 0 ? '↑' : '↓'} ${Math.abs(p)}%`;
  }
  if (kind === 'points') {
    const p = Math.round(diff * 100);
    return p === 0 ? ' → 0 pts' : ` ${p > 0 ? '↑' : '↓'} ${Math.abs(p)} pts`;
  }
  const r = Math.round(diff * 10) / 10;
  return r === 0 ? ' → 0' : ` ${r > 0 ? '↑' : '↓'} ${Math.abs(r).toFixed(1)}`;
}

export interface MetricsReportModel {
  /** "Team metrics", "Your metrics". */
  title: string;
  /** "last 7 days". */
  periodLabel: string;
  /** "2 Nov 2026 – 8 Nov 2026, compared with …" (dates in the store's time zone). */
  periodDetail: string;
  /** "in <#C…>", "email", or null for everything. */
  scope: string | null;
  current: PeriodMetrics;
  previous: PeriodMetrics;
  breakdowns: { title: string; rows: BreakdownRow[]; label: (key: string | null) => string }[];
  /** The export command to suggest (managers), e.g. "/trustloop export first_response 7d". */
  exportHint: string | null;
  /** Review requests after delivery, when the store sends them. */
  requests?: RequestFigures | null;
}

/** "12 sent · 5 reviewed (42%) · 3 with photo or video (60%) · review after 2d 4h · 2 held for open cases · 4.6 ★ from requests (5) vs 3.9 ★ unasked (8)" */
export function requestFiguresText(r: RequestFigures): string {
  const avg = (x: { count: number; averageRating: number | null }) =>
    x.averageRating === null ? '–' : `${formatRating(x.averageRating)} (${x.count})`;
  const parts = [
    `${r.sent} sent`,
    `${r.reviewed} reviewed${r.sent > 0 ? ` (${pct(share(r.reviewed, r.sent)!)})` : ''}`,
    `${r.withMedia} with photo or video${r.reviewed > 0 ? ` (${pct(share(r.withMedia, r.reviewed)!)})` : ''}`,
    `review after ${dur(r.medianMsToReview)} (median)`,
    `${r.held} held for an open case, refund or dispute`,
  ];
  return `${parts.join(' · ')}\nRating from requests ${avg(r.fromRequests)} vs unasked ${avg(r.unsolicited)}`;
}

function summaryFields(c: PeriodMetrics, p: PeriodMetrics): string[] {
  const fr = c.firstResponse;
  const res = c.resolution;
  const fcr = c.firstContactResolution;
  const fields = [
    `*Cases received*\n${c.cases}${change(c.cases, p.cases, 'relative')}`,
    `*First reply* median / p90\n${dur(fr.medianMs)} / ${dur(fr.p90Ms)}${change(fr.medianMs, p.firstResponse.medianMs, 'relative')}\n_business hours:_ ${dur(fr.businessMedianMs)} / ${dur(fr.businessP90Ms)}`,
    `*First reply within SLA*\n${fr.withinSla === null ? '–' : pct(fr.withinSla)}${change(fr.withinSla, p.firstResponse.withinSla, 'points')}${fr.count ? ` (${fr.count} replied)` : ''}${fr.unansweredPastTarget ? `\n${fr.unansweredPastTarget} unanswered past target` : ''}`,
    `*Resolution* median / p90\n${dur(res.medianMs)} / ${dur(res.p90Ms)}${change(res.medianMs, p.resolution.medianMs, 'relative')}\n_business hours:_ ${dur(res.businessMedianMs)} / ${dur(res.businessP90Ms)}`,
    `*First contact resolution*\n${fcr.share === null ? '–' : `${pct(fcr.share)} (${fcr.firstContact} of ${fcr.resolved})`}${change(fcr.share, p.firstContactResolution.share, 'points')}`,
    `*CSAT*\n${c.csat.average === null ? '–' : `${formatCsat(c.csat.average)} · ${pct(c.csat.satisfiedShare!)} satisfied (${c.csat.responses})`}${change(c.csat.average, p.csat.average, 'rating')}`,
  ];
  if (c.reviews) {
    const r = c.reviews;
    fields.push(
      `*Reviews*\n${r.averageRating === null ? '–' : `${formatRating(r.averageRating)} · ${pct(r.negativeShare!)} negative (${r.count})`}${change(r.averageRating, p.reviews?.averageRating ?? null, 'rating')}`,
    );
  }
  return fields;
}

const MAX_BREAKDOWN_ROWS = 8;

function breakdownLine(r: BreakdownRow, label: string): string {
  const parts = [`${r.cases} case${r.cases === 1 ? '' : 's'}`];
  if (r.firstResponseMedianMs !== null) parts.push(`first reply ${dur(r.firstResponseMedianMs)}`);
  if (r.withinSla !== null) parts.push(`${pct(r.withinSla)} in SLA`);
  if (r.resolved > 0) parts.push(`${r.resolved} resolved in ${dur(r.resolutionMedianMs)}`);
  if (r.firstContactShare !== null) parts.push(`FCR ${pct(r.firstContactShare)}`);
  if (r.csatAverage !== null) parts.push(`CSAT ${r.csatAverage.toFixed(1)}`);
  return `• ${label}: ${parts.join(' · ')}`;
}

export function buildMetricsReport(m: MetricsReportModel): CaseMessage {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: METRICS_BLOCK.header,
      text: { type: 'plain_text', text: plain(`${m.title} · ${m.periodLabel}`, LIMITS.headerText) },
    },
    {
      type: 'context',
      block_id: METRICS_BLOCK.period,
      elements: [{ type: 'mrkdwn', text: `${escapeMrkdwn(m.periodDetail)}${m.scope ? ` · ${m.scope}` : ''}` }],
    },
    {
      type: 'section',
      block_id: METRICS_BLOCK.summary,
      fields: summaryFields(m.current, m.previous).map((text) => ({ type: 'mrkdwn', text })),
    },
  ];
  if (m.requests && (m.requests.sent > 0 || m.requests.held > 0)) {
    blocks.push({
      type: 'section',
      block_id: METRICS_BLOCK.requests,
      text: { type: 'mrkdwn', text: `*Review requests*\n${requestFiguresText(m.requests)}` },
    });
  }
  m.breakdowns.forEach((b, i) => {
    if (b.rows.length === 0) return;
    const lines = b.rows.slice(0, MAX_BREAKDOWN_ROWS).map((r) => breakdownLine(r, b.label(r.key)));
    if (b.rows.length > MAX_BREAKDOWN_ROWS) lines.push(`and ${b.rows.length - MAX_BREAKDOWN_ROWS} more`);
    blocks.push({
      type: 'section',
      block_id: `${METRICS_BLOCK.breakdown}.${i}`,
      text: { type: 'mrkdwn', text: `*${b.title}*\n${lines.join('\n')}`.slice(0, LIMITS.sectionText) },
    });
  });
  if (m.exportHint) {
    blocks.push({
      type: 'context',
      block_id: METRICS_BLOCK.footer,
      elements: [
        { type: 'mrkdwn', text: `The rows behind a figure: \`${m.exportHint}\` (cases, first_response, resolution, fcr, csat, reviews).` },
      ],
    });
  }
  const c = m.current;
  return {
    text: plain(
      `${m.title}, ${m.periodLabel}: ${c.cases} cases, first reply median ${dur(c.firstResponse.medianMs)}, resolution median ${dur(c.resolution.medianMs)}`,
      300,
    ),
    blocks,
  };
}

// ---- labels ----------------------------------------------------------------------------------

export const sourceLabel = (key: string | null) => (key === null ? 'none' : escapeMrkdwn(SOURCE_LABELS[key] ?? key));
export const ownerLabel = (key: string | null) => (key === null ? 'unassigned' : mentionAny(key));
export const tagLabel = (labels: Record<string, string>) => (key: string | null) =>
  key === null ? 'untagged' : escapeMrkdwn(labels[key] ?? key);

// ---- the queue -------------------------------------------------------------------------------

const QUEUE_STATUSES = ['new', 'open', 'waiting'] as const;

export function buildQueueReport(q: { scope: string; counts: { status: string; bucket: AgeBucket; n: number }[] }): CaseMessage {
  const total = q.counts.reduce((s, r) => s + r.n, 0);
  const cell = (status: string, bucket: AgeBucket) => q.counts.find((r) => r.status === status && r.bucket === bucket)?.n ?? 0;
  const statuses = [
    ...QUEUE_STATUSES,
    ...new Set(q.counts.map((r) => r.status).filter((s) => !(QUEUE_STATUSES as readonly string[]).includes(s))),
  ];
  const lines = statuses.map((s) => {
    const n = q.counts.filter((r) => r.status === s).reduce((a, r) => a + r.n, 0);
    const ages = AGE_BUCKETS.map((b) => `${b.label} ${cell(s, b.key)}`).join(' · ');
    return `*${escapeMrkdwn(STATUS_LABELS[s as keyof typeof STATUS_LABELS] ?? s)}* ${n}: ${ages}`;
  });
  const oldest = AGE_BUCKETS.map((b) => ({ label: b.label, n: q.counts.filter((r) => r.bucket === b.key).reduce((a, r) => a + r.n, 0) }));
  return {
    text: `${total} open case${total === 1 ? '' : 's'} ${q.scope}`,
    blocks: [
      {
        type: 'section',
        block_id: METRICS_BLOCK.queueHeader,
        text: { type: 'mrkdwn', text: `:inbox_tray: *${total} open case${total === 1 ? '' : 's'}* ${q.scope}` },
      },
      { type: 'section', block_id: METRICS_BLOCK.queue, text: { type: 'mrkdwn', text: lines.join('\n') } },
      {
        type: 'context',
        block_id: METRICS_BLOCK.queueAges,
        elements: [{ type: 'mrkdwn', text: `Age since the customer wrote: ${oldest.map((o) => `${o.label} ${o.n}`).join(' · ')}` }],
      },
    ],
  };
}

// ---- a person's open cases (mine, App Home) ---------------------------------------------------

export type { OpenCaseLine };

const RISK_ICON = { breached: ':red_circle:', at_risk: ':warning:', ok: ':large_green_circle:' } as const;

export function openCaseText(l: OpenCaseLine): string {
  const subject = safeText(squash(l.subject) || '(no subject)', 80);
  const title = l.cardUrl ? `<${l.cardUrl}|${caseRef(l.caseId)} · ${subject}>` : `${caseRef(l.caseId)} · ${subject}`;
  const status = escapeMrkdwn(STATUS_LABELS[l.status as keyof typeof STATUS_LABELS] ?? l.status);
  const mark = l.mustEscalate ? ` · ${MUST_ESCALATE_MARK}` : '';
  return `${RISK_ICON[l.risk]} ${title}\n${status} · ${channelLink(l.channelId)}${l.slaText ? ` · ${escapeMrkdwn(l.slaText)}` : ''}${mark}`;
}

/** `/trustloop mine`: my open cases (most at risk first), then my figures for the period. */
export function buildMineReport(m: { cases: OpenCaseLine[]; more: number; report: CaseMessage }): CaseMessage {
  const total = m.cases.length + m.more;
  // Whole lines while they fit the section, then the true remainder: no line is cut or dropped unsaid.
  const tail = (n: number) => (n > 0 ? `\nand ${n} more` : '');
  let text = `*Your open cases (${total})*`;
  let shown = 0;
  for (const l of m.cases) {
    const next = `${text}\n${openCaseText(l).replace('\n', ' — ')}`;
    if (next.length + tail(total - shown - 1).length > LIMITS.sectionText) break;
    text = next;
    shown++;
  }
  const list: SectionBlock = {
    type: 'section',
    block_id: METRICS_BLOCK.mine,
    text: { type: 'mrkdwn', text: total > 0 ? text + tail(total - shown) : '*You have no open cases.*' },
  };
  return { text: m.report.text, blocks: [list, { type: 'divider' }, ...(m.report.blocks ?? [])] };
}

// ---- App Home --------------------------------------------------------------------------------

export interface HomeModel {
  now: Date;
  cases: OpenCaseLine[];
  more: number;
  /** Managers only. */
  /** sla.cappedAt: more cases were at risk than that many looked at; the counts are lower bounds. */
  team: { queue: CaseMessage; sla: { breached: number; atRisk: number; cappedAt: number | null }; week: CaseMessage } | null;
}

/** Blocks the home keeps free for the team part (managers); the rest may list cases. */
const HOME_MAX_CASES = 25;

export function buildHomeView(h: HomeModel): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: HOME.block.mineHeader, text: { type: 'plain_text', text: `Your open cases (${h.cases.length + h.more})` } },
  ];
  if (h.cases.length === 0) {
    blocks.push({
      type: 'section',
      block_id: HOME.block.mineEmpty,
      text: { type: 'mrkdwn', text: 'Nothing open is yours. Claim a case from its card.' },
    });
  }
  for (const l of h.cases.slice(0, HOME_MAX_CASES)) {
    const resolve: Button = {
      type: 'button',
      action_id: HOME.action.resolve,
      text: { type: 'plain_text', text: 'Resolve' },
      value: encodeContext({ c: l.caseId }),
    };
    const open: Button | null = l.cardUrl
      ? { type: 'button', action_id: HOME.action.openCard, text: { type: 'plain_text', text: 'Open card' }, url: l.cardUrl }
      : null;
    blocks.push(
      { type: 'section', block_id: `${HOME.block.case}.${l.caseId}`, text: { type: 'mrkdwn', text: openCaseText(l) } },
      { type: 'actions', block_id: `${HOME.block.caseActions}.${l.caseId}`, elements: open ? [resolve, open] : [resolve] },
    );
  }
  const hidden = h.more + Math.max(0, h.cases.length - HOME_MAX_CASES);
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      block_id: HOME.block.mineMore,
      elements: [{ type: 'mrkdwn', text: `and ${hidden} more: \`/trustloop mine\` lists them` }],
    });
  }
  if (h.team) {
    const s = h.team.sla;
    const more = s.cappedAt === null ? '' : '+';
    blocks.push(
      { type: 'divider' },
      { type: 'header', block_id: HOME.block.teamHeader, text: { type: 'plain_text', text: 'Team' } },
      ...prefixed(h.team.queue.blocks ?? [], 'home_queue'),
      {
        type: 'section',
        block_id: HOME.block.sla,
        text: {
          type: 'mrkdwn',
          text: `*SLA health* :red_circle: ${s.breached}${more} breached · :warning: ${s.atRisk}${more} at risk${s.cappedAt === null ? '' : ` (of the ${s.cappedAt} cases most at risk)`} · \`/trustloop sla\` lists them`,
        },
      },
      ...prefixed(h.team.week.blocks ?? [], 'home_week'),
    );
  }
  blocks.push({
    type: 'context',
    block_id: HOME.block.updated,
    elements: [{ type: 'mrkdwn', text: `Updated ${slackDate(h.now)} · refreshed each time you open this tab` }],
  });
  return { type: 'home', blocks };
}

/** Someone outside the support team opened the tab. */
export function buildNotOnTeamHome(): HomeView {
  return {
    type: 'home',
    blocks: [
      {
        type: 'section',
        block_id: HOME.block.notOnTeam,
        text: {
          type: 'mrkdwn',
          text: 'Trustloop is for the support team. Ask a Trustloop admin to add you to the team in the workspace config.',
        },
      },
    ],
  };
}

/** Reused report blocks get home-specific block ids (ids must be unique within the view). */
function prefixed(blocks: readonly KnownBlock[], prefix: string): KnownBlock[] {
  return blocks.map((b) => ('block_id' in b && b.block_id ? { ...b, block_id: `${prefix}.${b.block_id}` } : b)) as KnownBlock[];
}

// ---- the services' reports, as Slack shows them ----------------------------------------------

/** "in <#C…>", "from Email". */
export function metricsScopeText(scope: MetricsScope): string {
  return 'channelId' in scope ? `in ${channelLink(scope.channelId)}` : `from ${sourceLabel(scope.source)}`;
}

function breakdownLabel(by: BreakdownBy, tags: readonly Tag[]): (key: string | null) => string {
  if (by === 'source') return sourceLabel;
  if (by === 'owner') return ownerLabel;
  return tagLabel(Object.fromEntries(tags.map((t) => [t.id, t.label])));
}

export function renderMetricsReport(m: MetricsReport, tags: readonly Tag[]): CaseMessage {
  return buildMetricsReport({
    ...m,
    scope: m.scope ? metricsScopeText(m.scope) : null,
    breakdowns: m.breakdowns.map((b) => ({ title: b.title, rows: b.rows, label: breakdownLabel(b.by, tags) })),
  });
}

export function renderQueueReport(q: QueueReport): CaseMessage {
  return buildQueueReport({ scope: q.channelId ? `in ${channelLink(q.channelId)}` : 'in every channel', counts: q.counts });
}

export function renderMineReport(m: MineReport, tags: readonly Tag[]): CaseMessage {
  return buildMineReport({ cases: m.cases, more: m.more, report: renderMetricsReport(m.report, tags) });
}

export function renderHome(h: HomeReport, tags: readonly Tag[]): HomeView {
  if (!h.onTeam) return buildNotOnTeamHome();
  const team = h.team && { queue: renderQueueReport(h.team.queue), sla: h.team.sla, week: renderMetricsReport(h.team.week, tags) };
  return buildHomeView({ now: h.now, cases: h.cases, more: h.more, team });
}
