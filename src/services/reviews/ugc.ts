import { InvalidInput } from '../../domain/errors';
import { type UgcCommand, ugcTransition } from '../../domain/reviews';
import { insertEvent } from '../../db/queries/cases';
import { enqueue, PRIORITY } from '../../db/queries/outbox';
import { lockReview, updateReview } from '../../db/queries/reviews';
import type { Review } from '../../db/schema';
import type { Deps } from '../deps';
import { type Notice } from '../staff-command';
import { requireTeam } from '../access';

// UGC candidates: staff move a review with photos or video along the consent ladder.

const UGC_WHAT: Record<UgcCommand, string> = {
  request: 'request UGC permission',
  granted: 'record UGC consent',
  declined: 'record UGC consent',
  revoke: 'record UGC consent',
  approve: 'approve UGC for use',
  skip: 'skip UGC candidates',
};

/** Moves a UGC candidate along the consent ladder and re-renders its post. */
export async function actOnUgc(deps: Deps, params: { reviewId: number; actor: string; command: UgcCommand }): Promise<Notice> {
  await requireTeam(deps, {
    caseId: null,
    actor: params.actor,
    attempted: `ugc_${params.command}`,
    what: UGC_WHAT[params.command],
    via: 'button',
  });
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<Notice> => {
    const r = await lockReview(tx, { id: params.reviewId });
    if (!r || r.ugcStatus === null) throw new InvalidInput('That UGC candidate no longer exists.');
    const t = ugcTransition({ status: r.ugcStatus, consent: r.ugcConsent as never, scope: r.ugcScope }, params.command);
    if (!t.changed) return t;
    const patch: Partial<Review> = {};
    if (t.patch.status !== undefined) patch.ugcStatus = t.patch.status;
    if (t.patch.consent !== undefined) Object.assign(patch, { ugcConsent: t.patch.consent, ugcConsentAt: now, ugcConsentBy: params.actor });
    if (t.patch.scope !== undefined) Object.assign(patch, { ugcScope: t.patch.scope, ugcApprovedBy: params.actor, ugcApprovedAt: now });
    const updated = await updateReview(tx, { id: r.id, patch });
    await insertEvent(tx, {
      caseId: r.caseId,
      actor: params.actor,
      action: t.action,
      data: { reviewId: r.id, consent: updated.ugcConsent, scope: updated.ugcScope },
      at: now,
    });
    if (updated.ugcChannel) {
      await enqueue(tx, [
        {
          kind: 'ugc_update',
          channel: updated.ugcChannel,
          orderKey: `ugc:${r.id}`,
          payload: { reviewId: r.id },
          priority: PRIORITY.interactive,
        },
      ]);
    }
    return { changed: true };
  });
  if (result.changed) deps.notify();
  deps.logger.info({ reviewId: params.reviewId, command: params.command, changed: result.changed }, 'ugc action');
  return result;
}
