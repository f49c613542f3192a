import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { renderHome } from '../../../blocks/metrics';
import { actOnCase } from '../../services/cases/commands';
import type { Deps } from '../../services/deps';
import { homeView } from '../../services/metrics';
import type { BotIdentity } from '../web';
import { decodeContext, HOME } from '../ids';

// The App Home tab: published afresh each time someone opens it, and after a quick
// action taken from it (the case services are the ones the card buttons use).

export function registerHome(app: App, deps: Deps, identity: Pick<BotIdentity, 'url'>): void {
  const publish = async (client: App['client'], userId: string) => {
    const view = renderHome(await homeView(deps, { userId, teamUrl: identity.url || null }), deps.config.tags);
    await client.views.publish({ user_id: userId, view });
  };

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publish(client, event.user);
  });

  app.action<BlockAction<ButtonAction>>(HOME.action.resolve, async ({ ack, body, action, client }) => {
    await ack();
    await actOnCase(deps, { caseId: decodeContext(action.value).c, actor: body.user.id, command: { type: 'resolve' }, via: 'app_home' });
    await publish(client, body.user.id);
  });

  // A link button still sends an action; acking it keeps Slack from showing a warning.
  app.action(HOME.action.openCard, async ({ ack }) => {
    await ack();
  });
}
