import type { WorkspaceConfig } from '../config/workspace';
import { judge } from '../domain/judgement';
import type { Judgement, JudgementInput } from '../domain/judgement/types';
import { SYSTEM_ACTOR } from '../domain/case';
import type { Db } from '../db/client';
import { countRecentQualityCases, type NewCaseRow } from '../db/queries/cases';
import { PRIORITY } from '../db/queries/outbox';
import type { OrderItem } from '../db/schema';

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
 * Judges a message. When it reads as a damage or quality problem about known products, the recent
 * cases about the same products are counted and the message judged again with that count, so the
 * "quality problems cluster on one product" rule can fire.
 */
export async function judgeCase(db: Db, config: WorkspaceConfig, facts: CaseFacts, now: Date, excludeCaseId?: number): Promise<Judgement> {
  const { productKeys, ...input } = facts;
  const first = judge(input, config.judgement);
  if (productKeys.length === 0 || !first.suggestedTags.some((t) => QUALITY_TAGS.includes(t))) return first;
  const since = new Date(now.getTime() - config.judgement.quality_cluster.days * 86_400_000);
  const recent = await countRecentQualityCases(db, { productKeys, since, excludeId: excludeCaseId });
  return recent > 0 ? judge({ ...input, recentSimilarQualityIssues: recent }, config.judgement) : first;
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
