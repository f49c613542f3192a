import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import { buildUsageRightsCopyModal, buildUsageRightsModal } from '../../../blocks/ugc';
import { NOTE_MAX, prepareUsageRights, requestUsageRights } from '../../services/ugc-consent';
import { buildChecklistModal, buildDraftModal } from '../../../blocks/review-response';
import { DomainError, InvalidInput } from '../../domain/errors';
import { composeResponse, type UgcCommand } from '../../domain/reviews';
import type { Deps } from '../../services/deps';
import { actOnUgc } from '../../services/reviews/ugc';
import { approveDraft, type DraftInput, prepareDraft, saveDraft } from '../../services/reviews/response';
import { prepareChecklist, saveChecklist } from '../../services/reviews/checklist';
import { decodeContext, decodeRefContext, REVIEW, UGC } from '../ids';
import { tell } from './respond';
import { optionOf, selectedOf, textOf, type ViewValues } from './view-state';

// Review cards (Draft response, Approve, Internal checklist) and UGC posts. Each handler: ack,
// parse, call a review service, tell the actor when nothing changed.

const B = REVIEW.block;
const I = REVIEW.input;

/** Where a draft problem is shown in the modal. */
const FIELD_BLOCK: Record<string, string> = {
  acknowledge: B.acknowledge,
  actions: B.responseActions,
  officialChannel: B.officialChannel,
  causeTag: B.cause,
};

function draftFrom(values: ViewValues): DraftInput {
  return {
    acknowledge: textOf(values, B.acknowledge, I),
    actions: selectedOf(values, B.responseActions, I),
    actionDetail: textOf(values, B.actionDetail, I) || null,
    officialChannel: textOf(values, B.officialChannel, I),
    causeTag: optionOf(values, B.cause, I) ?? '',
    improvements: selectedOf(values, B.improvements, I),
    improvementNote: textOf(values, B.improvementNote, I) || null,
  };
}

export function registerReviewActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(REVIEW.action.draft, async ({ ack, body, action, client }) => {
    await ack();
    const form = await prepareDraft(deps, { caseId: decodeContext(action.value).c, actor: body.user.id });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildDraftModal({
        caseId: form.c.id,
        review: form.review,
        tags: deps.config.tags,
        previous: form.previous,
        suggestedAcknowledgement: form.suggestedAcknowledgement,
        suggestedCause: form.suggestedCause,
        officialChannel: form.officialChannel,
      }),
    });
  });

  app.view(REVIEW.view.draft, async ({ ack, body, view }) => {
    const { c: caseId } = decodeContext(view.private_metadata);
    const draft = draftFrom(view.state.values as ViewValues);
    try {
      // The parts are checked before the modal closes, so a problem is shown beside its field.
      composeResponse(draft);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      await ack({ response_action: 'errors', errors: { [FIELD_BLOCK[String(err.path[0])] ?? B.acknowledge]: err.userMessage } });
      return;
    }
    await ack();
    await saveDraft(deps, { caseId, actor: body.user.id, draft });
  });

  app.action<BlockAction<ButtonAction>>(REVIEW.action.approve, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = decodeRefContext(action.value);
    if (!ctx.c || !ctx.d) throw new InvalidInput('This button no longer works; use the newest draft in the thread.');
    const result = await approveDraft(deps, { caseId: ctx.c, responseId: ctx.d, actor: body.user.id });
    if (!result.changed) await tell(respond, result.notice);
  });

  app.action<BlockAction<ButtonAction>>(REVIEW.action.checklist, async ({ ack, body, action, client }) => {
    await ack();
    const form = await prepareChecklist(deps, { caseId: decodeContext(action.value).c, actor: body.user.id });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildChecklistModal({ caseId: form.c.id, current: form.current, suggestedCountry: form.suggestedCountry }),
    });
  });

  app.view(REVIEW.view.checklist, async ({ ack, body, view }) => {
    const { c: caseId } = decodeContext(view.private_metadata);
    const values = view.state.values as ViewValues;
    await ack();
    const kept = optionOf(values, B.promiseKept, I);
    await saveChecklist(deps, {
      caseId,
      actor: body.user.id,
      checklist: {
        country: textOf(values, B.country, I),
        shippingMethod: textOf(values, B.shippingMethod, I),
        deliveryPromise: textOf(values, B.deliveryPromise, I),
        ...(kept === 'kept' || kept === 'missed' || kept === 'unknown' ? { promiseKept: kept } : {}),
        findings: selectedOf(values, B.findings, I),
        note: textOf(values, B.note, I),
      },
    });
  });

  app.action<BlockAction<ButtonAction>>(UGC.action.request, async ({ ack, body, action, client }) => {
    await ack();
    const { r } = decodeRefContext(action.value);
    if (!r) throw new InvalidInput('This button no longer works.');
    const m = await prepareUsageRights(deps, { reviewId: r, actor: body.user.id });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildUsageRightsModal({ reviewId: r, reviewerName: m.review.reviewerName, reviewerEmail: m.review.reviewerEmail, byEmail: m.byEmail, noteMax: NOTE_MAX }),
    });
  });

  app.view<ViewSubmitAction>(UGC.view.request, async ({ ack, body, view }) => {
    const { r } = decodeRefContext(view.private_metadata);
    if (!r) throw new InvalidInput('This form no longer works.');
    const values = view.state.values as ViewValues;
    const months = optionOf(values, UGC.block.requestDuration, UGC.input);
    const input = {
      scope: selectedOf(values, UGC.block.requestScope, UGC.input),
      grantMonths: months === null || months === 'none' ? null : Number(months),
      note: textOf(values, UGC.block.requestNote, UGC.input) || null,
    };
    const fieldBlock: Record<string, string> = { scope: UGC.block.requestScope, grantMonths: UGC.block.requestDuration, note: UGC.block.requestNote };
    let result;
    try {
      result = await requestUsageRights(deps, { reviewId: r, actor: body.user.id, input });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const path = err instanceof InvalidInput ? String(err.path[0] ?? 'scope') : 'scope';
      await ack({ response_action: 'errors', errors: { [fieldBlock[path] ?? UGC.block.requestScope]: err.userMessage } });
      return;
    }
    if (!result.changed) await ack({ response_action: 'errors', errors: { [UGC.block.requestScope]: result.notice } });
    else if (result.copy) await ack({ response_action: 'update', view: buildUsageRightsCopyModal(result.copy) });
    else await ack();
  });

  const ugcButtons: [string, UgcCommand][] = [
    [UGC.action.granted, 'granted'],
    [UGC.action.declined, 'declined'],
    [UGC.action.revoke, 'revoke'],
    [UGC.action.approve, 'approve'],
    [UGC.action.skip, 'skip'],
  ];
  for (const [actionId, command] of ugcButtons) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const { r } = decodeRefContext(action.value);
      if (!r) throw new InvalidInput('This button no longer works.');
      const result = await actOnUgc(deps, { reviewId: r, actor: body.user.id, command });
      if (!result.changed) await tell(respond, result.notice);
    });
  }
}
