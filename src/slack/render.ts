import { buildCaseCard, type CaseMessage } from '../../blocks/case-card';
import type { WorkspaceConfig } from '../config/workspace';
import type { Case } from '../db/schema';
import { slaStateOrNull } from '../domain/sla-case';

/** The card for any case kind, from its current state. */
export function renderCard(c: Case, config: WorkspaceConfig, now: Date): CaseMessage {
  return buildCaseCard(c, { tags: config.tags, now, sla: slaStateOrNull(config.sla, c, now) });
}
