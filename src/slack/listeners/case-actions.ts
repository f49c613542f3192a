import type { App, BlockAction, ButtonAction, MultiStaticSelectAction, UsersSelectAction } from '@slack/bolt';
import { z } from 'zod';
import { buildEscalateModal, buildFullTextModal } from '../../../blocks/modals';
import { caseRef } from '../../domain/case';
import { CaseNotFound, InvalidInput } from '../../domain/errors';
import { getCaseByCard, getMessage } from '../../db/queries/cases';
import { actOnCase, type CaseCommand, requireCase } from '../../services/cases';
import type { Deps } from '../../services/deps';
import { decodeContext } from '../context';
import { ACTION, BLOCK, INPUT, VIEW } from '../ids';
import { tell } from './respond';

// Card buttons and menus. Each handler: ack, parse, call the case service, tell the actor
// when nothing changed. The card itself is re-rendered through the outbox.

const containerSchema = z.object({ channel_id: z.string(), message_ts: z.string() });

/** The case a card action belongs to: from the button's context, or from the card message. */
async function caseIdOf(deps: Deps, body: BlockAction, value?: string): Promise<number> {
  if (value) return decodeContext(value).c;
  const container = containerSchema.parse(body.container);
  const c = await getCaseByCard(deps.db, { channelId: container.channel_id, ts: container.message_ts });
  if (!c) throw new CaseNotFound('this card');
  return c.id;
}

export function registerCaseActions(app: App, deps: Deps): void {
  const simple = (actionId: string, command: CaseCommand) =>
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond }) => {
      await ack();
      const caseId = await caseIdOf(deps, body, action.value);
      const result = await actOnCase(deps, { caseId, actor: body.user.id, command });
      if (!result.changed) await tell(respond, result.notice);
    });

  simple(ACTION.claim, { type: 'claim' });
  simple(ACTION.resolve, { type: 'resolve' });
  simple(ACTION.reopen, { type: 'reopen' });

  app.action<BlockAction<UsersSelectAction>>(ACTION.assign, async ({ ack, body, action, respond }) => {
    await ack();
    const caseId = await caseIdOf(deps, body);
    const result = await actOnCase(deps, {
      caseId,
      actor: body.user.id,
      command: { type: 'assign', assignee: action.selected_user },
    });
    if (!result.changed) await tell(respond, result.notice);
  });

  app.action<BlockAction<MultiStaticSelectAction>>(ACTION.tags, async ({ ack, body, action, respond }) => {
    await ack();
    const caseId = await caseIdOf(deps, body);
    const tags = action.selected_options.map((o) => o.value);
    const result = await actOnCase(deps, { caseId, actor: body.user.id, command: { type: 'tags', tags } });
    if (!result.changed) await tell(respond, result.notice);
  });

  // The modal must open within 3 s of the click (trigger_id), so only the team check comes first.
  app.action<BlockAction<ButtonAction>>(ACTION.escalate, async ({ ack, body, action, client }) => {
    await ack();
    const caseId = await caseIdOf(deps, body, action.value);
    await deps.team.requireMember(body.user.id, 'escalate cases');
    const c = await requireCase(deps.db, caseId);
    await client.views.open({ trigger_id: body.trigger_id, view: buildEscalateModal(c.id, c.subject) });
  });

  app.view(VIEW.escalate, async ({ ack, body, view }) => {
    const { c: caseId } = decodeContext(view.private_metadata);
    const reason = view.state.values[BLOCK.escalateReason]?.[INPUT.escalateReason]?.value?.trim() ?? '';
    if (reason.length < 3) {
      await ack({ response_action: 'errors', errors: { [BLOCK.escalateReason]: 'Say why the case needs escalating.' } });
      return;
    }
    if (!(await deps.team.isMember(body.user.id))) {
      await ack({ response_action: 'errors', errors: { [BLOCK.escalateReason]: 'Only the support team can escalate cases.' } });
      return;
    }
    await ack();
    await actOnCase(deps, { caseId, actor: body.user.id, command: { type: 'escalate', reason } });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.fullText, async ({ ack, body, action, client }) => {
    await ack();
    const c = await requireCase(deps.db, await caseIdOf(deps, body, action.value));
    await client.views.open({ trigger_id: body.trigger_id, view: buildFullTextModal(c.id, `${caseRef(c.id)} message`, c.body) });
  });

  app.action<BlockAction<ButtonAction>>(ACTION.messageFullText, async ({ ack, body, action, client }) => {
    await ack();
    const ctx = decodeContext(action.value);
    const m = ctx.m ? await getMessage(deps.db, { id: ctx.m }) : null;
    if (!m || m.caseId !== ctx.c) throw new InvalidInput('That message no longer exists.');
    await client.views.open({ trigger_id: body.trigger_id, view: buildFullTextModal(m.caseId, `${caseRef(m.caseId)} message`, m.body) });
  });
}
