import {
  type Consent,
  type ConsentScope,
  type ConsentState,
  consentState,
  reviewConsent,
  type UgcItem,
  type UgcLibrary,
  usableScopes,
} from '../domain/ugc-consent';
import { listUgcCandidates } from '../db/queries/ugc';
import type { Review } from '../db/schema';
import { requireTeam } from './access';
import type { Deps } from './deps';

// `/trustloop ugc`: the UGC library, what may be used where. An item is listed as usable only
// with a recorded grant that has not expired or been revoked, and only where the grant allows.

const LIBRARY_MAX = 200;

export type { UgcItem, UgcLibrary };

/** The consent a stored review carries (one reading, shared with the UGC post). */
export const consentOf = (r: Review): Consent => reviewConsent(r);

export async function ugcLibrary(deps: Deps, params: { userId: string }): Promise<UgcLibrary> {
  await requireTeam(deps, { caseId: null, actor: params.userId, attempted: 'ugc_list', what: 'see the UGC library', via: 'command' });
  const now = deps.clock();
  const rows = await listUgcCandidates(deps.db, { limit: LIBRARY_MAX });
  const items = rows.map((r): UgcItem => {
    const consent = consentOf(r);
    const skipped = r.ugcStatus === 'skipped';
    return {
      reviewId: r.id,
      rating: r.rating,
      productTitle: r.productTitle,
      reviewerName: r.reviewerName,
      media: r.media.length,
      state: consentState(consent, now),
      usable: skipped ? [] : usableScopes(consent, now),
      expiresAt: consent.expiresAt,
      channel: r.ugcChannel,
      ts: r.ugcTs,
    };
  });
  const notUsable = items.filter((i) => i.usable.length === 0);
  const byState: UgcLibrary['byState'] = {};
  for (const i of notUsable) byState[i.state] = (byState[i.state] ?? 0) + 1;
  return { usable: items.filter((i) => i.usable.length > 0), notUsable, byState };
}
