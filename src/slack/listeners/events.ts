import type { App } from '@slack/bolt';
import { actOnCase } from '../../services/cases/commands';
import { caseForCard } from '../../services/cases/state';
import { recordThreadNote } from '../../services/cases/messages';
import type { Deps } from '../../services/deps';
import type { BotIdentity } from '../web';
import { REACTION } from '../ids';

// Events API: reactions on cards act on the case; staff replies in a card's thread become
// internal notes. Slack retries events it thinks failed; the event id makes each count once.

export function registerEvents(app: App, deps: Deps, identity: BotIdentity): void {
  app.event('reaction_added', async ({ event, body }) => {
    if (event.item.type !== 'message') return;
    const command = event.reaction === REACTION.claim ? 'claim' : event.reaction === REACTION.resolve ? 'resolve' : null;
    if (!command) return;
    const c = await caseForCard(deps, { channelId: event.item.channel, ts: event.item.ts });
    if (!c) return;
    await actOnCase(deps, { caseId: c.id, actor: event.user, command: { type: command }, via: 'reaction', dedupeKey: body.event_id });
  });

  app.event('message', async ({ event, body }) => {
    const e = event as { subtype?: string; bot_id?: string; user?: string; text?: string; ts: string; thread_ts?: string; channel: string };
    if (e.subtype !== undefined && e.subtype !== 'thread_broadcast') return;
    if (e.bot_id || !e.user || e.user === identity.botUserId) return;
    if (!e.thread_ts || e.thread_ts === e.ts) return;
    await recordThreadNote(deps, {
      channelId: e.channel,
      threadTs: e.thread_ts,
      ts: e.ts,
      userId: e.user,
      text: e.text ?? '',
      eventId: body.event_id,
    });
  });
}
