import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { buildEvidenceModal } from '../../../blocks/dispute-evidence';
import { caseRef } from '../../domain/case';
import { EVIDENCE_ITEMS } from '../../domain/disputes';
import type { Deps } from '../../services/deps';
import { markEvidenceSubmitted, prepareEvidence, requestEvidenceExport, saveEvidence } from '../../services/disputes/evidence';
import { decodeContext, DISPUTE } from '../ids';
import { tell } from './respond';
import { selectedOf, textOf, type ViewValues } from './view-state';

// Dispute cards: Evidence checklist (modal), Export evidence, Evidence submitted.

export function registerDisputeActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(DISPUTE.action.evidence, async ({ ack, body, action, client }) => {
    await ack();
    const form = await prepareEvidence(deps, { caseId: decodeContext(action.value).c, actor: body.user.id });
    await client.views.open({ trigger_id: body.trigger_id, view: buildEvidenceModal(form) });
  });

  app.view(DISPUTE.view.evidence, async ({ ack, body, view }) => {
    const { c: caseId } = decodeContext(view.private_metadata);
    const values = view.state.values as ViewValues;
    await ack();
    const notes: Record<string, string> = {};
    for (const item of EVIDENCE_ITEMS) notes[item.id] = textOf(values, `${DISPUTE.block.evidenceNotePrefix}${item.id}`, DISPUTE.input);
    await saveEvidence(deps, {
      caseId,
      actor: body.user.id,
      checked: selectedOf(values, DISPUTE.block.evidenceChecks, DISPUTE.input),
      notes,
    });
  });

  app.action<BlockAction<ButtonAction>>(DISPUTE.action.export, async ({ ack, body, action, respond }) => {
    await ack();
    const caseId = decodeContext(action.value).c;
    await requestEvidenceExport(deps, { caseId, actor: body.user.id });
    await tell(respond, `Exporting the evidence for ${caseRef(caseId)}: the document will appear in the card's thread.`);
  });

  app.action<BlockAction<ButtonAction>>(DISPUTE.action.submitted, async ({ ack, body, action, respond }) => {
    await ack();
    const result = await markEvidenceSubmitted(deps, { caseId: decodeContext(action.value).c, actor: body.user.id });
    if (!result.changed) await tell(respond, result.notice);
  });
}
