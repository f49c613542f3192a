import type { KnownBlock, ModalView } from '@slack/types';
import { caseRef } from '../src/domain/case';
import { encodeContext, BLOCK, INPUT, VIEW } from '../src/slack/ids';
import { LIMITS, chunks, plain } from './text';

export function buildEscalateModal(caseId: number, subject: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.escalate,
    private_metadata: encodeContext({ c: caseId }),
    title: { type: 'plain_text', text: plain(`Escalate ${caseRef(caseId)}`, LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: 'Escalate' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        block_id: BLOCK.escalateCase,
        text: { type: 'plain_text', text: plain(subject || '(no subject)', LIMITS.sectionText) },
      },
      {
        type: 'input',
        block_id: BLOCK.escalateReason,
        label: { type: 'plain_text', text: 'Why does this case need escalating?' },
        hint: {
          type: 'plain_text',
          text: 'Posted to the escalation channel with a link to the card; the case is raised in priority.',
        },
        element: { type: 'plain_text_input', action_id: INPUT.escalateReason, multiline: true, min_length: 3, max_length: 1500 },
      },
    ],
  };
}

/**
 * The whole of a long customer message, split into sections of at most 3,000 characters.
 * A view over 250 KB is refused by Slack, so an extreme message ends with a note instead.
 */
export function buildFullTextModal(caseId: number, heading: string, body: string): ModalView {
  const parts = chunks(body, LIMITS.sectionText);
  const blocks: KnownBlock[] = [];
  let bytes = 2000;
  let shown = 0;
  for (const part of parts) {
    const size = Buffer.byteLength(part, 'utf8') + 120;
    if (blocks.length >= LIMITS.blocksPerView - 1 || bytes + size > LIMITS.viewBytes - 4000) break;
    blocks.push({
      type: 'section',
      block_id: `${BLOCK.fullTextPart}_${blocks.length}`,
      text: { type: 'mrkdwn', verbatim: true, text: part || ' ' },
    });
    bytes += size;
    shown++;
  }
  if (shown < parts.length) {
    blocks.push({
      type: 'context',
      block_id: BLOCK.fullTextNote,
      elements: [
        {
          type: 'mrkdwn',
          text: `Showing ${shown} of ${parts.length} parts; the message is too long for Slack to show whole. It is stored in full in Trustloop.`,
        },
      ],
    });
  }
  return {
    type: 'modal',
    callback_id: VIEW.fullText,
    private_metadata: encodeContext({ c: caseId }),
    title: { type: 'plain_text', text: plain(heading, LIMITS.modalTitle) },
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

/** What a form that could not be used says in place of itself (Slack shows it in the same modal). */
export function buildNoticeModal(message: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Trustloop' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', block_id: BLOCK.notice, text: { type: 'plain_text', text: plain(message, LIMITS.sectionText) } }],
  };
}

/** Said when a button or form is older than this Trustloop, or damaged: nothing was changed. */
export const STALE_CONTROL =
  'Trustloop could not use this button or form: it is from an older version of the card, or it is damaged. Nothing was changed. Open the case’s current card and try again.';
