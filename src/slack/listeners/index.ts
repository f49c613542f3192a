import type { App } from '@slack/bolt';
import type { Deps } from '../../services/deps';
import type { BotIdentity } from '../web';
import { ackGuarded } from './ack-guard';
import { registerCaseActions } from './case-actions';
import { registerCommands } from './commands';
import { registerDigestActions, digestSubcommand, fixesSubcommand } from './digest';
import { ugcSubcommand } from './ugc-command';
import { registerDisputeActions } from './disputes';
import { registerErrorHandler } from './errors';
import { registerEvents } from './events';
import { registerReplyActions } from './replies';
import { registerReviewActions } from './reviews';
import { registerHome } from './home';
import { metricsSubcommands } from './metrics-command';
import { slaSubcommand } from './sla-command';

/** Maps ids to handlers; each feature registers its own listeners. */
export function registerListeners(bolt: App, deps: Deps, identity: BotIdentity): void {
  const { app, mount } = ackGuarded(bolt);
  registerCaseActions(app, deps);
  registerReviewActions(app, deps);
  registerReplyActions(app, deps);
  registerDisputeActions(app, deps);
  registerDigestActions(app, deps);
  registerEvents(app, deps, identity);
  registerCommands(app, deps, [slaSubcommand(identity), ...metricsSubcommands(identity), digestSubcommand(), fixesSubcommand(), ugcSubcommand(identity)]);
  registerHome(app, deps, identity);
  mount();
  registerErrorHandler(bolt, deps);
}
