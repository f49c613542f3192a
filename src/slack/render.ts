import { buildCaseCard, type CaseMessage } from '../../blocks/case-card';
import type { WorkspaceConfig } from '../config/workspace';
import type { Db } from '../db/client';
import type { Case } from '../db/schema';
import { renderKindCard } from './render-cases';
import { slaStateOrNull } from '../domain/sla-case';

/** The card for any case kind, from its current state. */
export function renderCard(c: Case, config: WorkspaceConfig, now: Date): CaseMessage {
  return buildCaseCard(c, { tags: config.tags, now, sla: slaStateOrNull(config.sla, c, now) });
}

/** The card of a case of any kind: reviews and disputes have their own, loaded from the database. */
export async function renderCaseCard(db: Db, c: Case, config: WorkspaceConfig, now: Date, teamUrl: string | null): Promise<CaseMessage> {
  return (await renderKindCard(db, c, config, now, teamUrl)) ?? renderCard(c, config, now);
}
