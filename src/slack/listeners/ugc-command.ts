import { buildUgcLibrary } from '../../../blocks/ugc-library';
import { ugcLibrary } from '../../services/ugc-library';
import type { BotIdentity } from '../web';
import { cardPermalink } from '../../domain/case';
import type { Subcommand } from './commands';

/** `/trustloop ugc`: the UGC library, what may be used where (support team only). */
export function ugcSubcommand(identity: Pick<BotIdentity, 'url'>): Subcommand {
  return {
    name: 'ugc',
    usage: 'ugc',
    description: 'photo and video reviews that may be used, and where the customer agreed (product page, social, ads)',
    async run({ command, respond, deps }) {
      const lib = await ugcLibrary(deps, { userId: command.user_id });
      const msg = buildUgcLibrary(lib, (channel, ts) => cardPermalink(identity.url || null, channel, ts));
      await respond({ response_type: 'ephemeral', text: msg.text, blocks: msg.blocks });
    },
  };
}
