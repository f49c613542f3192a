import type { App, BlockAction, ButtonAction, MultiStaticSelectAction, RespondFn, UsersSelectAction } from '@slack/bolt';
import { z } from 'zod';
import { buildEscalateModal, buildFullTextModal } from '../../../blocks/modals';
import { caseRef } from '../../domain/case';
import { CaseNotFound, DomainError } from '../../domain/errors';
import { actOnCase, type CaseCommand, prepareEscalation } from '../../services/cases/commands';
import { caseForCard, fullMessage } from '../../services/cases/state';
import type { Deps } from '../../services/deps';
import { caseIdFromBlockId, decodeContext, ACTION, BLOCK, INPUT, SLA_ACTION, VIEW } from '../ids';
import { tell } from './respond';

// Card buttons and menus. Each handler: ack, parse, call a case service, tell the actor when
// nothing changed. The card itself is re-rendered through the outbox.

const containerSchema = z.object({ channel_id: z.string(), message_ts: z.string() });

/** The case a card action belongs to: from the button's context, the menu's block id, or the card message. */
async function caseIdOf(deps: Deps, body: BlockAction, action: { value?: string; block_id: string }): Promise<number> {
  if (action.value) return decodeContext(action.value).c;
  const fromBlock = caseIdFromBlockId(action.block_id);
  if (fromBlock) return fromBlock;
  const container = containerSchema.parse(body.container);
  const c = await caseForCard(deps, { channelId: container.channel_id, ts: container.message_ts });
  if (!c) throw new CaseNotFound('this card');
  return c.id;
}

async function act(deps: Deps, respond: RespondFn, params: { caseId: number; actor: string; command: CaseCommand }) {
  const result = await actOnCase(deps, params);
  if (!result.changed) await tell(respond, result.notice);
}

export function registerCaseActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.claim, async ({ ack, body, action, respond }) => {
    await ack();
    const ctx = decodeContext(action.value);
    await act(deps, respond, { caseId: ctx.c, actor: body.user.id, command: { type: 'claim', expectedOwner: ctx.o ?? null } });
  });

  for (const [actionId, type] of [
    [ACTION.resolve, 'resolve'],
    [ACTION.reopen, 'reopen'],
    [ACTION.confirmTags, 'confirm_tags'],
    [ACTION.deescalate, 'deescalate'],
    // SLA: waiting on the customer pauses every clock.
    [SLA_ACTION.wait, 'wait'],
    [SLA_ACTION.resume, 'resume'],
  ] as const) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      await act(deps, respond, { caseId: await caseIdOf(deps, body, action), actor: body.user.id, command: { type } });
    });
  }

  app.action<BlockAction<UsersSelectAction>>(ACTION.assign, async ({ ack, body, action, respond }) => {
    await ack();
    const command: CaseCommand = { type: 'assign', assignee: action.selected_user };
    await act(deps, respond, { caseId: await caseIdOf(deps, body, action), actor: body.user.id, command });
  });

  app.action<BlockAction<MultiStaticSelectAction>>(ACTION.tags, async ({ ack, body, action, respond }) => {
    await ack();
    const command: CaseCommand = { type: 'tags', tags: action.selected_options.map((o) => o.value) };
    await act(deps, respond, { caseId: await caseIdOf(deps, body, action), actor: body.user.id, command });
  });

  // The modal must open within 3 s of the click (trigger_id): only the team and status checks come first.
  app.action<BlockAction<ButtonAction>>(ACTION.escalate, async ({ ack, body, action, client }) => {
    await ack();
    const c = await prepareEscalation(deps, { caseId: await caseIdOf(deps, body, action), actor: body.user.id });
    await client.views.open({ trigger_id: body.trigger_id, view: buildEscalateModal(c.id, c.subject) });
  });

  app.view(VIEW.escalate, async ({ ack, body, view }) => {
    const { c: caseId } = decodeContext(view.private_metadata);
    const reason = view.state.values[BLOCK.escalateReason]?.[INPUT.escalateReason]?.value?.trim() ?? '';
    if (reason.length < 3) {
      await ack({ response_action: 'errors', errors: { [BLOCK.escalateReason]: 'Say why the case needs escalating.' } });
      return;
    }
    // A modal has no channel to answer in: problems found now are shown in the modal itself.
    try {
      await prepareEscalation(deps, { caseId, actor: body.user.id, via: 'modal' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      await ack({ response_action: 'errors', errors: { [BLOCK.escalateReason]: err.userMessage } });
      return;
    }
    await ack();
    await actOnCase(deps, { caseId, actor: body.user.id, command: { type: 'escalate', reason }, via: 'modal' });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.fullText, async ({ ack, body, action, client }) => {
    await ack();
    const m = await fullMessage(deps, { caseId: await caseIdOf(deps, body, action) });
    await client.views.open({ trigger_id: body.trigger_id, view: buildFullTextModal(m.caseId, `${caseRef(m.caseId)} message`, m.body) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.messageFullText, async ({ ack, body, action, client }) => {
    await ack();
    const ctx = decodeContext(action.value);
    const m = await fullMessage(deps, { caseId: ctx.c, ...(ctx.m ? { messageId: ctx.m } : {}) });
    await client.views.open({ trigger_id: body.trigger_id, view: buildFullTextModal(m.caseId, `${caseRef(m.caseId)} message`, m.body) });
  });
}
