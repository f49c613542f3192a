import { buildCaseCard } from '../../blocks/case-card';
import type { CaseMessage } from '../../blocks/message';
import { withReplyStatus } from '../../blocks/reply';
import { cardActionsBlockId } from './ids';
import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import type { Case } from '../db/schema';
import type { CaseCard } from '../db/queries/cases';
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
 * The matched order is read fresh, so a shipment delivered since shows on the next update. The
 * case's newest reply (getCaseCard reads it with the case) puts its line on the card.
 */
export async function renderCaseCard(
  db: Db,
  card: CaseCard,
  config: WorkspaceConfig,
  now: Date,
  teamUrl: string | null,
): Promise<CaseMessage> {
  const c = card.case;
  const context = c.matchedOrderId ? await orderContext(db, { orderId: c.matchedOrderId }) : null;
  const rendered = (await renderKindCard(db, c, config, now, teamUrl, context)) ?? renderCard(c, config, now, context);
  // Every kind of card shows where its newest reply to the customer stands.
  return withReplyStatus(rendered, card.latestDraft, cardActionsBlockId(c.id));
}
