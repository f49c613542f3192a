import { buildCaseCard } from '../../blocks/case-card';
import type { CaseMessage } from '../../blocks/message';
import { withReplyStatus } from '../../blocks/reply';
import { latestDraft } from '../db/queries/replies';
import { cardActionsBlockId } from './ids';
import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import type { Case } from '../db/schema';
import type { OrderContext } from '../domain/orders';
import { orderContext } from '../services/orders';
import { renderKindCard } from './render-cases';
import { slaStateOrNull } from '../domain/sla-case';

/** The card for any case kind, from its current state. */
export function renderCard(c: Case, config: WorkspaceConfig, now: Date, context: OrderContext | null = null): CaseMessage {
  return buildCaseCard(c, { tags: config.tags, now, sla: slaStateOrNull(config.sla, c, now), context });
}

/**
 * The card of a case of any kind: reviews and disputes have their own, loaded from the database.
 * The matched order is read fresh, so a shipment delivered since shows on the next update.
 */
export async function renderCaseCard(db: Db, c: Case, config: WorkspaceConfig, now: Date, teamUrl: string | null): Promise<CaseMessage> {
  const context = c.matchedOrderId ? await orderContext(db, { orderId: c.matchedOrderId }) : null;
  const card = (await renderKindCard(db, c, config, now, teamUrl, context)) ?? renderCard(c, config, now, context);
  // Every kind of card shows where its newest reply to the customer stands.
  return withReplyStatus(card, await latestDraft(db, { caseId: c.id }), cardActionsBlockId(c.id));
}
