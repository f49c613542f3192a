import type { App, BlockAction, ButtonAction, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { buildComposerLoading, buildComposerModal, buildConfirmModal, buildCopyModal, buildOverrideModal } from '../../../blocks/reply';
import { DomainError, InvalidInput } from '../../domain/errors';
import { OVERRIDE_REASON_MIN, type SendRefusal } from '../../domain/reply/gate';
import type { Deps } from '../../services/deps';
import {
  approveReply,
  checkDraftInput,
  type DraftInput,
  draftToCopy,
  markCopiedSent,
  PART_MAX,
  prepareComposer,
  requireDraft,
  saveReply,
  type SendResult,
  sendReply,
} from '../../services/replies';
import { requireTeam } from '../../services/access';
import { decodeRefContext, REPLY } from '../ids';
import { tell } from './respond';
import { textOf, type ViewValues } from './view-state';

// Replies from the card: Reply opens the composer; its draft goes to the thread with Send,
// Approve and Send anyway. Each handler: ack, parse, call the replies service, tell the actor.

const B = REPLY.block;
const I = REPLY.input;

const composerMeta = z.object({ c: z.number().int().positive(), l: z.string().max(10), t: z.string().max(40), g: z.array(z.string().max(40)).max(10) });

const FIELD_BLOCK: Record<string, string> = {
  greeting: B.greeting,
  confirmation: B.confirmation,
  status: B.status,
  next: B.next,
  needs: B.needs,
  contact: B.contact,
  signoff: B.signoff,
};

function draftFrom(values: ViewValues, meta: z.infer<typeof composerMeta>): DraftInput {
  const needs = textOf(values, B.needs, I);
  return {
    language: meta.l,
    type: meta.t,
    greeting: textOf(values, B.greeting, I),
    parts: {
      confirmation: textOf(values, B.confirmation, I),
      status: textOf(values, B.status, I),
      next: textOf(values, B.next, I),
      needs: needs.trim() ? needs : null,
      contact: textOf(values, B.contact, I),
    },
    signoff: textOf(values, B.signoff, I),
  };
}

const REFUSAL_NOTICE: Record<Exclude<SendRefusal['code'], 'needs_escalation_confirmation'>, string> = {
  superseded: 'A newer draft replaced this one: send the newest draft in the thread.',
  already_sent: 'This reply was already sent.',
  sending: 'This reply is being sent already.',
  needs_second_person:
    'The promise check flagged this draft, so it cannot go yet: someone else on the team must click *Approve*, or you can *Send anyway* with your reason (recorded).',
};

type ViewAck = SlackViewMiddlewareArgs<ViewSubmitAction>['ack'];

/** What a Send (from a button or a modal) leads to: nothing more, a notice, or the next modal to show. */
function nextStep(result: SendResult): { notice?: string; view?: ReturnType<typeof buildConfirmModal> } {
  if (result.queued) return {};
  if ('copy' in result) return { view: buildCopyModal(result.draft, null) };
  if (result.refusal.code === 'needs_escalation_confirmation') return { view: buildConfirmModal(result.draft, result.reason ?? null) };
  return { notice: REFUSAL_NOTICE[result.refusal.code] };
}

/** A modal's submission that sends: problems are shown in the modal itself (it has no channel to answer in). */
async function sendFromModal(deps: Deps, ack: ViewAck, blockId: string, run: () => Promise<SendResult>): Promise<void> {
  let result: SendResult;
  try {
    result = await run();
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    await ack({ response_action: 'errors', errors: { [blockId]: err.userMessage } });
    return;
  }
  const step = nextStep(result);
  if (step.view) await ack({ response_action: 'update', view: step.view });
  else if (step.notice) await ack({ response_action: 'errors', errors: { [blockId]: step.notice.replace(/\*/g, '') } });
  else await ack();
}

export function registerReplyActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(REPLY.action.open, async ({ ack, body, action, client }) => {
    await ack();
    const { c } = decodeRefContext(action.value);
    if (!c) throw new InvalidInput('This button no longer works.');
    // A model may take longer than Slack's trigger lasts: a stand-in opens at once and the composer replaces it.
    const loading = deps.draftModel
      ? await client.views.open({ trigger_id: body.trigger_id, view: buildComposerLoading(c, deps.draftModel.name) })
      : null;
    const m = await prepareComposer(deps, { caseId: c, actor: body.user.id });
    // An unsent draft is edited where it was left; otherwise the composer starts from the case.
    const prev = m.previous && (m.previous.status === 'draft' || m.previous.status === 'failed') ? m.previous : null;
    const draft = prev ? { language: prev.language as typeof m.draft.language, type: prev.type as typeof m.draft.type, greeting: prev.greeting, parts: prev.parts, signoff: prev.signoff, gaps: m.draft.gaps } : m.draft;
    const mustEscalate = m.c.mustEscalateAt !== null || m.c.escalatedAt !== null;
    // An unsent draft kept where it was left is the agent's text, not the model's.
    const drafting = prev ? undefined : m.drafting;
    const view = buildComposerModal({ caseId: m.c.id, subject: m.c.subject, draft, route: m.route, mustEscalateReason: mustEscalate ? (m.c.escalationReason ?? '') : null, drafting }, PART_MAX);
    if (loading?.view?.id) await client.views.update({ view_id: loading.view.id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.view<ViewSubmitAction>(REPLY.view.composer, async ({ ack, body, view }) => {
    const meta = composerMeta.parse(JSON.parse(view.private_metadata));
    const input = draftFrom(view.state.values as ViewValues, meta);
    try {
      checkDraftInput(input);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      await ack({ response_action: 'errors', errors: { [FIELD_BLOCK[String(err.path[0])] ?? B.confirmation]: err.userMessage } });
      return;
    }
    await ack();
    await saveReply(deps, { caseId: meta.c, actor: body.user.id, input, gaps: meta.g });
  });

  app.action<BlockAction<ButtonAction>>(REPLY.action.send, async ({ ack, body, action, client, respond }) => {
    await ack();
    const { d } = decodeRefContext(action.value);
    if (!d) throw new InvalidInput('This button no longer works; use the newest draft in the thread.');
    const result = await sendReply(deps, { draftId: d, actor: body.user.id });
    if (!result.queued && 'copy' in result) {
      const copy = await draftToCopy(deps, { draftId: d, actor: body.user.id });
      await client.views.open({ trigger_id: body.trigger_id, view: buildCopyModal(copy.draft, copy.missing) });
      return;
    }
    const step = nextStep(result);
    if (step.view) await client.views.open({ trigger_id: body.trigger_id, view: step.view });
    else if (step.notice) await tell(respond, step.notice);
  });

  app.action<BlockAction<ButtonAction>>(REPLY.action.approve, async ({ ack, body, action, respond }) => {
    await ack();
    const { d } = decodeRefContext(action.value);
    if (!d) throw new InvalidInput('This button no longer works; use the newest draft in the thread.');
    const result = await approveReply(deps, { draftId: d, actor: body.user.id });
    if (!result.changed) await tell(respond, result.notice);
  });

  app.action<BlockAction<ButtonAction>>(REPLY.action.override, async ({ ack, body, action, client }) => {
    await ack();
    const { d } = decodeRefContext(action.value);
    if (!d) throw new InvalidInput('This button no longer works; use the newest draft in the thread.');
    const draft = await requireDraft(deps.db, d);
    await requireTeam(deps, { caseId: draft.caseId, actor: body.user.id, attempted: 'reply_override', what: 'send replies', via: 'button' });
    await client.views.open({ trigger_id: body.trigger_id, view: buildOverrideModal(draft, OVERRIDE_REASON_MIN) });
  });

  app.view<ViewSubmitAction>(REPLY.view.override, async ({ ack, body, view }) => {
    const { d } = decodeRefContext(view.private_metadata);
    if (!d) throw new InvalidInput('This form no longer works.');
    const reason = textOf(view.state.values as ViewValues, B.reason, I);
    await sendFromModal(deps, ack, B.reason, () => sendReply(deps, { draftId: d, actor: body.user.id, override: { reason } }));
  });

  app.view<ViewSubmitAction>(REPLY.view.confirm, async ({ ack, body, view }) => {
    const { d } = decodeRefContext(view.private_metadata);
    if (!d) throw new InvalidInput('This form no longer works.');
    await sendFromModal(deps, ack, B.confirmFacts, () => sendReply(deps, { draftId: d, actor: body.user.id, confirmEscalation: true }));
  });

  app.view<ViewSubmitAction>(REPLY.view.copy, async ({ ack, body, view }) => {
    const { d } = decodeRefContext(view.private_metadata);
    if (!d) throw new InvalidInput('This form no longer works.');
    const result = await markCopiedSent(deps, { draftId: d, actor: body.user.id });
    if (!result.changed) await ack({ response_action: 'errors', errors: { [B.copyText]: result.notice } });
    else await ack();
  });
}

