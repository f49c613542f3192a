import type { KnownBlock, SectionBlock } from '@slack/types';
import type { DigestModel, HeadlineFigure, LoopLine, PolicyGapLine, RepeatedQuestion, TagLine } from '../src/domain/digest';
import { SOURCE_LABELS } from '../src/domain/case';
import { CHART_WEEKS, weekOverWeek } from '../src/domain/digest';
import { formatDuration } from '../src/domain/sla';
import { encodeFixRequest, DIGEST } from '../src/slack/ids';
import { escapeMrkdwn, formatCsat, formatMoney, formatRating, formatShare, LIMITS, mention, plain, quote, safeText, squash } from './text';
import { requestFiguresText } from './metrics';
import { GAP_LABELS } from './reply';
import { countryName } from '../src/domain/reply/compose';

// The weekly digest in Slack: one main message (headline, top tags, the repeated questions with
// their Create fix buttons, the loop) that stays within a message's limits whatever the week
// held, and the details as replies in its thread. Pure: the model comes in, messages go out.

export interface DigestMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderedDigest {
  main: DigestMessage;
  thread: DigestMessage[];
}

/** Repeated questions with a button on the main message; the rest go to the thread, buttons and all. */
export const MAIN_REPEATED = 8;
/** Loop lines on the main message. */
export const MAIN_LOOP = 8;
/** Blocks per thread message (Slack allows 50). */
const THREAD_BLOCKS = 45;
/** Text per thread message: past about 13,000 characters Slack answers msg_blocks_too_long. */
const THREAD_CHARS = 12_000;
const QUOTE_CHARS = 280;

const section = (blockId: string, text: string): SectionBlock => ({
  type: 'section',
  block_id: blockId,
  text: { type: 'mrkdwn', text: safeSection(text) },
});

/** Our own text is built to fit; this is the last guard (a section is 1–3000 characters). */
function safeSection(text: string): string {
  if (text.length <= LIMITS.sectionText) return text || ' ';
  return `${text.slice(0, LIMITS.sectionText - 1)}…`;
}

const weekLabel = (m: DigestModel) => escapeMrkdwn(m.label);

/** The digest as the workspace's settings word it (their fix targets). */
export function renderDigest(config: { digest: { fix_targets: { id: string; label: string }[] } }, model: DigestModel): RenderedDigest {
  return buildDigest(model, { fixTargets: config.digest.fix_targets });
}

export function buildDigest(model: DigestModel, opts: { fixTargets: { id: string; label: string }[] }): RenderedDigest {
  const title = plain(`Voice of the customer · ${model.label}`, LIMITS.headerText);
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: DIGEST.block.header, text: { type: 'plain_text', text: title, emoji: true } },
    {
      type: 'context',
      block_id: DIGEST.block.period,
      elements: [{ type: 'mrkdwn', text: `${safeText(model.storeName, 200)} · Monday to Sunday, ${escapeMrkdwn(model.timezone)} time` }],
    },
  ];
  const thread: DigestMessage[] = [];
  const loop = (lines: LoopLine[]) => lines.map((l) => loopLine(l, opts.fixTargets)).join('\n');

  if (model.empty) {
    blocks.push(
      section(DIGEST.block.empty, `*A quiet week:* no tickets, reviews or disputes arrived in the ${weekLabel(model)}. Nothing to report.`),
    );
    if (model.loop.length > 0) blocks.push(section(DIGEST.block.loop, `*Fixes made earlier*\n${loop(model.loop.slice(0, MAIN_LOOP))}`));
    return { main: { text: `Voice of the customer, ${model.label}: a quiet week, nothing arrived.`, blocks }, thread };
  }

  blocks.push({
    type: 'section',
    block_id: DIGEST.block.headline,
    fields: model.headline.map((f) => ({ type: 'mrkdwn' as const, text: headlineField(f) })),
  });
  blocks.push(
    section(
      DIGEST.block.topTags,
      model.topTags.length > 0
        ? `*Top tags* (this week, change from last week)\n${model.topTags.map(tagLine).join('\n')}`
        : '*Top tags*\nNo case was tagged this week.',
    ),
  );

  if (model.repeated.length > 0) {
    blocks.push({ type: 'divider' });
    blocks.push(
      section(
        DIGEST.block.repeatedHeading,
        `*Fix the page, not the reply* · ${model.repeated.length === 1 ? 'one question was' : `${model.repeated.length} questions were`} asked more often than their threshold. Change the page, policy, process or product, then watch the count fall here.`,
      ),
    );
    for (const q of model.repeated.slice(0, MAIN_REPEATED)) blocks.push(repeatedBlock(q, model));
  }

  if (model.loop.length > 0) {
    blocks.push({ type: 'divider' });
    blocks.push(
      section(
        DIGEST.block.loop,
        `*Did the fixes work?* Cases in the 7 days before each fix was marked done → this week\n${loop(model.loop.slice(0, MAIN_LOOP))}`,
      ),
    );
  }

  // ---- the thread ----
  const parts: SectionBlock[] = [];
  let n = 0;
  const part = (text: string) => parts.push(section(`${DIGEST.block.partPrefix}${++n}`, text));
  const moreRepeated = model.repeated.slice(MAIN_REPEATED);
  const moreLoop = model.loop.slice(MAIN_LOOP);

  if (model.preSales.length > 0) {
    for (const text of packLines('*Pre-sales questions*', model.preSales.map(tagLine))) part(text);
  } else part('*Pre-sales questions* · none this week.');
  if (model.selfService > 0) {
    part(
      `*Self-service could have answered* ${model.selfService} of ${model.headline[0]!.current ?? 0} cases (order tracking, size charts, policy facts): worth a help-centre answer or an automated reply.`,
    );
  }
  if (model.reviews.total === 0) part('*Reviews* · none this week.');
  else {
    const leads = model.reviews.leads;
    const leadText =
      leads.total > 0
        ? `, ${leads.total} from people who had to reach a person (${Object.entries(leads.byReason)
            .map(([code, n]) => `${escapeMrkdwn(LEAD_LABELS[code] ?? code.replace(/_/g, ' '))} ${n}`)
            .join(', ')})`
        : '';
    part(
      `*Reviews* · ${model.reviews.total} in all, ${model.reviews.negative} negative${leadText}` +
        (model.reviews.themes.length > 0 ? '. Negative-review themes, in the reviewers’ own words:' : '.'),
    );
    for (const t of model.reviews.themes) {
      const quotes = t.quotes.map((q) => {
        const product = q.productTitle ? ` on ${safeText(q.productTitle, 100)}` : '';
        return `${quote(q.body, QUOTE_CHARS).text}\n_${'★'.repeat(q.rating)}${product}_`;
      });
      part([`*${escapeMrkdwn(t.label)}* · ${t.count}`, ...quotes].join('\n'));
    }
  }
  if (model.requests && (model.requests.sent > 0 || model.requests.held > 0))
    part(`*Review requests* · ${requestFiguresText(model.requests)}`);
  if (model.returns.length === 0 && model.reviewCauses.length === 0) part('*Refund and return reasons* · no refunds or returns this week.');
  else {
    const lines = model.returns.map((r) => `• ${escapeMrkdwn(r.label)}: ${r.count}`);
    const causes = model.reviewCauses.map((c) => {
      const changes = [c.page && `page ${c.page}`, c.product && `product ${c.product}`, c.supplier && `supplier ${c.supplier}`].filter(
        Boolean,
      );
      return `• ${escapeMrkdwn(c.label)}: ${c.responses}${changes.length > 0 ? ` (change: ${changes.join(', ')})` : ''}`;
    });
    if (lines.length > 0) for (const text of packLines('*Refund and return reasons* (cases by their other tags)', lines)) part(text);
    if (causes.length > 0) for (const text of packLines('*Causes captured with review responses*', causes)) part(text);
  }
  part(disputeText(model));
  if (model.logistics.length === 0) part('*Logistics issues* · none this week.');
  else {
    const lines = model.logistics.map(
      (l) =>
        `• ${escapeMrkdwn(l.country)} · ${safeText(l.carrier, 100)}: ${l.count} (${l.tags.map((t) => `${escapeMrkdwn(t.label)} ${t.count}`).join(', ')})`,
    );
    for (const text of packLines('*Logistics issues* by destination country and carrier', lines)) part(text);
  }
  if (model.sla.length === 0) part('*SLA compliance* · no first reply this week had a target to meet.');
  else {
    const lines = model.sla.map(
      (s) =>
        `• ${escapeMrkdwn(SOURCE_LABELS[s.channel] ?? s.channel.replace(/_/g, ' '))}: ${Math.round(s.withinSla * 100)}% of first replies within target (${s.cases} cases)`,
    );
    for (const text of packLines('*SLA compliance* per channel', lines)) part(text);
  }
  const gaps = model.policyGaps ?? [];
  if (gaps.length > 0) {
    for (const text of packLines(
      '*Questions the store’s policy cannot answer* · replies drafted this week promised nothing here; add it to the policy (`trustloop policy show` prints what it says now)',
      gaps.map(policyGapLine),
    ))
      part(text);
  }
  if (moreLoop.length > 0)
    for (const text of packLines(
      '*More fixes made earlier*',
      moreLoop.map((l) => loopLine(l, opts.fixTargets)),
    ))
      part(text);

  const threadBlocks: KnownBlock[] = [...parts];
  if (moreRepeated.length > 0) {
    threadBlocks.push(section(`${DIGEST.block.partPrefix}${++n}`, '*More questions over their threshold*'));
    for (const q of moreRepeated) threadBlocks.push(repeatedBlock(q, model));
  }
  for (const slice of splitMessages(threadBlocks)) {
    thread.push({ text: `Voice of the customer, ${model.label}: details (${thread.length + 1})`, blocks: slice });
  }

  const sections = ['pre-sales questions', 'review themes with quotes', 'refunds and returns', 'disputes', 'logistics', 'SLA per channel'];
  if (gaps.length > 0) sections.push('questions the policy cannot answer');
  blocks.push({
    type: 'context',
    block_id: DIGEST.block.more,
    elements: [
      {
        type: 'mrkdwn',
        text: `In the thread: ${sections.join(', ')}${moreRepeated.length > 0 ? `, ${moreRepeated.length} more repeated questions` : ''}, and a chart of the top tags over ${CHART_WEEKS} weeks.`,
      },
    ],
  });
  const summary =
    `Voice of the customer, ${model.label}: ${model.headline[0]!.current} cases` +
    (model.repeated.length > 0 ? `, ${model.repeated.length} repeated questions to fix` : '');
  return { main: { text: summary, blocks }, thread };
}

/** "• Delivery times to Norway (NO): 3 cases (delay 2, order status 1)". */
export function policyGapLine(g: PolicyGapLine): string {
  const what = GAP_LABELS[g.gap] ?? g.gap.replace(/_/g, ' ');
  const where = g.country ? ` to ${escapeMrkdwn(countryName(g.country, 'en') ?? g.country)} (${escapeMrkdwn(g.country)})` : '';
  const types = g.types.map((t) => `${escapeMrkdwn(t.type.replace(/_/g, ' '))} ${t.count}`).join(', ');
  const label = what.charAt(0).toUpperCase() + what.slice(1);
  return `• ${escapeMrkdwn(label)}${where}: ${g.count} case${g.count === 1 ? '' : 's'} (${types})`;
}

function tagLine(t: TagLine): string {
  return `• ${escapeMrkdwn(t.label)}: ${t.current} (${weekOverWeek(t.current, t.previous)}, was ${t.previous})`;
}

function repeatedBlock(q: RepeatedQuestion, model: DigestModel): SectionBlock {
  const about = q.product ? `, ${q.product.count} about ${safeText(q.product.label, 150)}` : '';
  return {
    type: 'section',
    block_id: `${DIGEST.block.repeatPrefix}${q.tag}`,
    text: {
      type: 'mrkdwn',
      text: `:repeat: *${escapeMrkdwn(q.label)}*: ${q.current} this week (threshold ${q.threshold}, last week ${q.previous})${about}`,
    },
    accessory: {
      type: 'button',
      action_id: DIGEST.action.createFix,
      text: { type: 'plain_text', text: 'Create fix' },
      value: encodeFixRequest({
        t: q.tag,
        // The whole key, so the fix matches the product's cases; only the label is cut.
        ...(q.product ? { p: q.product.key, l: q.product.label.slice(0, 300) } : {}),
        w: model.weekStart,
        n: q.current,
      }),
    },
  };
}

/**
 * The detail messages a preview shows when it may send `max` (a response_url takes five: the
 * main message and four more): all of them if they fit, else the first ones and a last message
 * saying how many more publishing shows.
 */
export function previewDetails(thread: DigestMessage[], max: number): DigestMessage[] {
  if (thread.length <= max) return thread;
  const more = thread.length - (max - 1);
  const text = `…and ${more} more detail messages; publish to see them all.`;
  return [...thread.slice(0, max - 1), { text, blocks: [section(DIGEST.block.previewMore, text)] }];
}

export function targetPhrase(target: string, targets: { id: string; label: string }[]): string {
  const label = targets.find((t) => t.id === target)?.label ?? target.replace(/_/g, ' ');
  // "the FAQ", "the product page": acronyms keep their capitals.
  return label === label.toUpperCase() ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** "✅ Sizing questions on Linen Shirt: 24 → 9 since the product page changed on 3 Mar (owner @ana)". */
export function loopLine(l: LoopLine, targets: { id: string; label: string }[]): string {
  const [y, m, d] = l.doneOn.split('-').map(Number);
  const day = new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const product = l.productLabel ? ` on ${safeText(l.productLabel, 150)}` : '';
  const icon = l.fell ? ':white_check_mark:' : ':warning:';
  const verdict = l.fell ? '' : ' (not fallen)';
  return `${icon} ${escapeMrkdwn(l.label)} questions${product}: ${l.before} → ${l.since} since the ${escapeMrkdwn(targetPhrase(l.target, targets))} changed on ${day}${verdict} · ${mention(l.ownerId)}`;
}

function headlineField(f: HeadlineFigure): string {
  const fmt = (v: number | null) => {
    if (v === null) return 'n/a';
    switch (f.format) {
      case 'count':
        return String(v);
      case 'duration':
        return formatDuration(v);
      case 'percent':
        return formatShare(v);
      case 'score':
        return formatCsat(v);
      case 'stars':
        return formatRating(v);
    }
  };
  const b = f.basis;
  const basis =
    f.current === null || !b
      ? ''
      : b.part !== undefined
        ? ` (${b.part} of ${b.whole} ${b.noun})`
        : ` (${b.whole} ${b.noun}${b.whole === 1 ? '' : 's'})`;
  let change = '';
  if (f.current !== null && f.previous !== null && f.current !== f.previous) {
    const up = f.current > f.previous;
    const icon = up === f.higherIsBetter ? ':large_green_circle:' : ':red_circle:';
    change = ` ${icon} ${up ? '↑' : '↓'} from ${fmt(f.previous)}`;
  } else if (f.previous !== null) {
    change = ` (same as last week)`;
  }
  return `*${f.label}*\n${fmt(f.current)}${basis}${change}`;
}

const LEAD_LABELS: Record<string, string> = {
  kol: 'creators',
  bulk_purchase: 'bulk buyers',
  repeat_customer: 'long-time customers',
  high_value: 'high-value orders',
};

function disputeText(m: DigestModel): string {
  const d = m.disputes;
  const risk =
    d.atRisk.length > 0 ? d.atRisk.map((r) => `${formatMoney(r.amount, r.currency)} (${r.count} open)`).join(', ') : 'nothing open';
  const reasons =
    d.byReason.length > 0
      ? `\nBy reason: ${d.byReason
          .slice(0, 8)
          .map((r) => `${safeText(squash(r.label), 80)} (\`${safeText(r.code, 60)}\`) ${r.count}`)
          .join(' · ')}`
      : '';
  return `*Disputes* · ${d.opened} opened, ${d.dueSoon} due in the next 7 days, ${d.won} won, ${d.lost} lost · at risk: ${risk}${reasons}`;
}

/** Lines under a title, split into sections that each fit Slack's 3000-character limit. */
function packLines(title: string, lines: string[]): string[] {
  const out: string[] = [];
  let current = title;
  for (const line of lines) {
    const next = `${current}\n${line}`;
    if (next.length > LIMITS.sectionText) {
      out.push(current);
      current = line.slice(0, LIMITS.sectionText);
    } else {
      current = next;
    }
  }
  out.push(current);
  return out;
}

/** Consecutive blocks grouped into messages that each stay within the block count and text budget. */
function splitMessages(blocks: KnownBlock[]): KnownBlock[][] {
  const out: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let chars = 0;
  for (const b of blocks) {
    const size = (b as SectionBlock).text?.text.length ?? 0;
    if (current.length > 0 && (current.length >= THREAD_BLOCKS || chars + size > THREAD_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(b);
    chars += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The chart's upload in the digest's thread: its title (drawn on the chart too), and the comment that goes with it. */
export function chartUpload(model: Pick<DigestModel, 'chart' | 'label'>): { title: string; comment: string } {
  const title = `Top tags, ${model.chart.weeks.length} weeks to ${model.label}`;
  return { title, comment: `:chart_with_upwards_trend: ${title}` };
}
