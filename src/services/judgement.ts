import { judgementSeconds } from '../metrics';
import type { WorkspaceConfig } from '../config/workspace';
import { decide, read, type Reading } from '../domain/judgement/judge';
import { loadLanguageDetector } from '../domain/judgement/language';
import { normalise } from '../domain/judgement/features';
import type { Judgement, JudgementInput } from '../domain/judgement/types';
import { SYSTEM_ACTOR } from '../domain/case';
import type { Db } from '../db/client';
import { countRecentQualityCases, knownProductNames, type NewCaseRow } from '../db/queries/cases';
import { PRIORITY } from '../db/queries/outbox';
import type { OrderItem } from '../db/schema';
import type { Deps } from './deps';
import type { ThreadJudgement } from './judgement-thread';

// Runs the judgement engine for a case: the engine is pure; this adds the one fact it needs from
// the database (how many damage/quality cases the same product had lately) and maps its output
// onto the workspace's tag catalogue and priorities.

const QUALITY_TAGS = ['damaged', 'quality'];

/** The products a case is about: SKUs where the order has them, else the item names. */
export function productKeysOf(items: readonly OrderItem[] | null | undefined): string[] {
  const keys = (items ?? []).map((i) => (i.sku?.trim() ? `sku:${i.sku.trim().toLowerCase()}` : `name:${i.name.trim().toLowerCase()}`));
  return [...new Set(keys)].filter((k) => k.length > 5).slice(0, 50);
}

export interface CaseFacts extends Omit<JudgementInput, 'recentSimilarQualityIssues'> {
  productKeys: string[];
}

/**
 * Judges a message. When it reads as a damage or quality problem about known products (from its
 * order, or a product the store sells named in the text), the recent cases about the same
 * products are counted and the decision taken again with that count, so the "quality problems
 * cluster on one product" rule can fire. The model reads the message once.
 */
export async function judgeCase(
  db: Db,
  deps: Pick<Deps, 'config' | 'judgement'>,
  facts: CaseFacts,
  now: Date,
  excludeCaseId?: number,
  /** The message as the judging thread already read it (JudgementThread). */
  already?: ThreadJudgement,
): Promise<Judgement> {
  const { productKeys, ...input } = facts;
  const config = deps.config.judgement;
  let reading: Reading;
  let first: Judgement;
  if (already) {
    ({ reading, first } = already);
    judgementSeconds.observe(already.seconds);
  } else {
    await loadLanguageDetector();
    const timer = judgementSeconds.startTimer();
    reading = read(input, deps.judgement);
    first = decide(input, config, reading);
    timer();
  }
  if (!first.suggestedTags.some((t) => QUALITY_TAGS.includes(t))) return first;
  await loadLanguageDetector();
  const keys = productKeys.length > 0 ? productKeys : await productsNamedIn(db, `${input.subject ?? ''} ${input.body}`, now);
  if (keys.length === 0) return first;
  const since = new Date(now.getTime() - config.quality_cluster.days * 86_400_000);
  const recent = await countRecentQualityCases(db, { productKeys: keys, since, excludeId: excludeCaseId });
  return recent > 0 ? decide({ ...input, recentSimilarQualityIssues: recent }, config, reading) : first;
}

const CATALOGUE_TTL_MS = 10 * 60_000;
const catalogues = new WeakMap<object, { at: number; names: { keys: string[]; folded: string }[] }>();

/**
 * Products of the store named in a message ("the Linen Shirt split at the seam"): the names seen
 * in its orders and reviews, matched as whole words on folded text. The list is read at most
 * every ten minutes per database.
 */
export async function productsNamedIn(db: Db, text: string, now: Date): Promise<string[]> {
  let cat = catalogues.get(db);
  if (!cat || now.getTime() - cat.at > CATALOGUE_TTL_MS) {
    const names = await knownProductNames(db, { limit: 5_000 });
    cat = {
      at: now.getTime(),
      names: names
        .map((n) => ({
          // A product is keyed by SKU where the store has one, and by name: both find its cases.
          keys: [`name:${n.name.trim().toLowerCase()}`, ...(n.sku?.trim() ? [`sku:${n.sku.trim().toLowerCase()}`] : [])],
          folded: normalise(n.name)
            .replace(/[^\p{L}\p{N}]+/gu, ' ')
            .trim(),
        }))
        .filter((n) => n.folded.length >= 5),
    };
    catalogues.set(db, cat);
  }
  const folded = ` ${normalise(text.slice(0, 20_000)).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return [...new Set(cat.names.filter((n) => folded.includes(` ${n.folded} `)).flatMap((n) => n.keys))].slice(0, 20);
}

/** Suggested tags that exist in this workspace's catalogue (a workspace may have replaced the defaults). */
export function catalogueTags(j: Judgement, config: WorkspaceConfig): string[] {
  const known = new Set(config.tags.map((t) => t.id));
  const tags = j.suggestedTags.filter((t) => known.has(t));
  if (tags.length > 0) return tags;
  return known.has('other') ? ['other'] : [];
}

/** The escalation reason shown on the card and in the escalation channel: Trustloop's own words. */
export function escalationText(j: Judgement): string {
  return `Needs a human: ${j.reasons.map((r) => r.label).join('; ')}`;
}

/** The priority a must-escalate case is raised to (the configured escalation level, else the highest). */
export function escalatedPriority(config: WorkspaceConfig): string {
  const { levels, escalated } = config.priorities;
  return escalated ?? levels[levels.length - 1]!;
}

/**
 * What a new case that the rules send to a person arrives with (tickets, reviews and disputes
 * alike): the escalation and, written with the case, its audit entry and the post in the
 * escalation channel. Nothing when the rules let it be.
 */
export function automaticEscalation(
  j: Judgement,
  config: WorkspaceConfig,
  now: Date,
): { escalation: NonNullable<NewCaseRow['escalation']>; with: Pick<NewCaseRow, 'events' | 'outbox'> } | null {
  if (!j.mustEscalate) return null;
  const reason = escalationText(j);
  return {
    escalation: { at: now, reason, mustEscalate: true },
    with: {
      events: [{ actor: SYSTEM_ACTOR, action: 'escalated', data: { reason, reasons: j.reasons.map((r) => r.code), automatic: true } }],
      outbox: [
        {
          kind: 'escalation_post',
          channel: config.channels.escalation,
          payload: { actor: SYSTEM_ACTOR, reason },
          priority: PRIORITY.interactive,
        },
      ],
    },
  };
}
