import type { ModalView, PlainTextOption } from '@slack/types';
import { caseRef } from '../src/domain/case';
import { EVIDENCE_ITEMS, type EvidenceLine } from '../src/domain/disputes';
import { PROVIDER_LABELS } from '../src/domain/reviews';
import { encodeContext, DISPUTE } from '../src/slack/ids';
import { checkboxes, textInput } from './review-response';
import { LIMITS, plain } from './text';

// The Evidence checklist modal: what Trustloop holds is listed; the rest is ticked by hand,
// with a note each (a tracking number, where the document is).

export function buildEvidenceModal(input: { caseId: number; lines: EvidenceLine[] }): ModalView {
  const held = input.lines
    .filter((l) => l.auto)
    .map((l) => `• *${l.label}*: filled in by Trustloop (${l.held.length} item${l.held.length === 1 ? '' : 's'})`);
  const options: PlainTextOption[] = EVIDENCE_ITEMS.map((i) => ({
    text: { type: 'plain_text', text: plain(i.label, LIMITS.optionText) },
    description: { type: 'plain_text', text: plain(i.hint, LIMITS.optionText) },
    value: i.id,
  }));
  const checked = input.lines.filter((l) => l.checked).map((l) => l.id);
  return {
    type: 'modal',
    callback_id: DISPUTE.view.evidence,
    private_metadata: encodeContext({ c: input.caseId }),
    title: { type: 'plain_text', text: plain(`Evidence ${caseRef(input.caseId)}`, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: DISPUTE.block.evidenceHeld,
        text: {
          type: 'mrkdwn',
          text:
            held.length > 0
              ? `*Trustloop already holds*\n${held.join('\n')}`
              : '_Trustloop holds none of the evidence yet; tick what you have collected._',
        },
      },
      checkboxes(DISPUTE.block.evidenceChecks, 'Collected', options, checked, true, 'Tick what you have collected outside Trustloop.'),
      ...input.lines.map((l) =>
        textInput(`${DISPUTE.block.evidenceNotePrefix}${l.id}`, `${l.label}: note`, {
          initial: l.note ?? null,
          optional: true,
          max: 1000,
          placeholder: l.id === 'shipping_proof' ? 'Carrier, tracking number, delivered on' : 'Where it is, what it shows',
        }),
      ),
    ],
  };
}

/** The evidence document's upload in the card's thread: its title, and the comment that goes with it. */
export function evidenceUpload(e: { caseId: number; requestedBy: string; provider: string }): { title: string; comment: string } {
  const ref = caseRef(e.caseId);
  const provider = e.provider === 'generic' ? 'the payment provider' : (PROVIDER_LABELS[e.provider] ?? e.provider);
  return {
    title: `Dispute evidence ${ref}`,
    comment: `:page_facing_up: Dispute evidence for ${ref}, exported by <@${e.requestedBy}>. Check it, add what is missing, then submit it to ${provider}.`,
  };
}
