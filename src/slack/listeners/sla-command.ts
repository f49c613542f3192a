import { renderSlaReport } from '../../../blocks/sla';
import { requireTeam } from '../../services/access';
import { slaReport } from '../../services/sla';
import type { BotIdentity } from '../web';
import type { Subcommand } from './commands';

/**
 * `/trustloop sla`: open cases at risk of missing, or past, their response targets, with links
 * to their cards. Staff see the channel they run it in and the cases they own; managers see
 * every channel.
 */
export function slaSubcommand(identity: Pick<BotIdentity, 'url'>): Subcommand {
  return {
    name: 'sla',
    usage: 'sla',
    description: 'cases at risk of missing, or past, their response targets (managers: every channel)',
    async run({ command, respond, deps }) {
      await requireTeam(deps, { caseId: null, actor: command.user_id, attempted: 'sla_report', what: 'see SLA risk', via: 'command' });
      const report = await slaReport(deps, { userId: command.user_id, channelId: command.channel_id, teamUrl: identity.url || null });
      const message = renderSlaReport(report);
      await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
    },
  };
}
