import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Deps } from '../../services/deps';
import { COMMAND } from '../ids';

// /trustloop <subcommand>. Each feature adds a subcommand; unknown input gets the usage text.

export interface Subcommand {
  name: string;
  usage: string;
  description: string;
  run(args: { text: string; command: SlashCommand; respond: RespondFn; deps: Deps; client: WebClient }): Promise<void>;
}

export function usage(subcommands: Subcommand[]): string {
  const lines = subcommands.map((s) => `• \`${COMMAND} ${s.usage}\` ${s.description}`);
  return [`*Trustloop commands*`, ...lines, '', 'Act on a case with the buttons on its card.'].join('\n');
}

export function registerCommands(app: App, deps: Deps, extra: Subcommand[] = []): void {
  const subcommands: Subcommand[] = [
    ...extra,
    {
      name: 'help',
      usage: 'help',
      description: 'this list',
      run: async ({ respond }) => {
        await respond({ response_type: 'ephemeral', text: usage(subcommands) });
      },
    },
  ];

  app.command(COMMAND, async ({ ack, command, respond, client }) => {
    // Ack at once (Slack waits 3 s); the answer, however slow its queries, goes to response_url.
    await ack();
    const text = command.text.trim();
    const [name = 'help', ...rest] = text.split(/\s+/);
    const sub = subcommands.find((s) => s.name === name.toLowerCase());
    if (!sub) {
      await respond({ response_type: 'ephemeral', text: `I don't know \`${name.replace(/[&<>`]/g, '')}\`.\n\n${usage(subcommands)}` });
      return;
    }
    await sub.run({ text: rest.join(' '), command, respond, deps, client });
  });
}
