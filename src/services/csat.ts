import { caseRef } from '../domain/case';
import { CaseNotFound } from '../domain/errors';
import { findCaseByExternal, getCase } from '../db/queries/cases';
import { upsertCsat } from '../db/queries/csat';
import type { CsatCreate } from '../ingest/schemas';
import type { Deps } from './deps';

/** A rating from the ingest API: the case by id or by the ticket's source and external id. */
export async function recordCsatFromApi(deps: Deps, input: CsatCreate): Promise<{ caseId: number; rating: number; created: boolean }> {
  const c =
    input.case_id !== undefined
      ? await getCase(deps.db, { id: Number(String(input.case_id).replace(/^TL-/i, '')) })
      : await findCaseByExternal(deps.db, { kind: 'ticket', source: input.source!, externalId: input.external_id! });
  if (!c) throw new CaseNotFound(input.case_id !== undefined ? String(input.case_id) : `${input.source}/${input.external_id}`);
  const { created } = await upsertCsat(deps.db, {
    caseId: c.id,
    rating: input.rating,
    comment: input.comment ?? null,
    via: 'api',
    respondedAt: input.responded_at ? new Date(input.responded_at) : deps.clock(),
  });
  deps.logger.info({ caseId: c.id, rating: input.rating, created }, 'csat recorded');
  return { caseId: c.id, rating: input.rating, created };
}

/** A click on the rating link. A second click replaces the first rating (the customer changed their mind). */
export async function recordCsatClick(deps: Deps, params: { caseId: number; rating: number }): Promise<{ created: boolean }> {
  const c = await getCase(deps.db, { id: params.caseId });
  if (!c) throw new CaseNotFound(caseRef(params.caseId));
  const result = await upsertCsat(deps.db, { caseId: c.id, rating: params.rating, comment: null, via: 'link', respondedAt: deps.clock() });
  deps.logger.info({ caseId: c.id, rating: params.rating, created: result.created }, 'csat link clicked');
  return result;
}
