import { renderMetricsReport, renderMineReport, renderQueueReport } from '../../../blocks/metrics';
import type { RespondFn } from '@slack/bolt';
import { DomainError, InvalidInput } from '../../domain/errors';
import { PERIOD_HELP } from '../../domain/period';
import { EXPORT_METRICS } from '../../domain/metrics';
import { exportMetric, mineReport, queueReport, teamMetrics } from '../../services/metrics';
import type { BotIdentity } from '../web';
import type { Logger } from '../../logger';
import { COMMAND } from '../ids';
import type { Subcommand } from './commands';

// /trustloop metrics, queue, mine and export. Each answers ephemerally through
// response_url after the command was acked; input it cannot read gets its usage, not silence.

async function withUsage(respond: RespondFn, logger: Logger, usage: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof InvalidInput) {
      await respond({ response_type: 'ephemeral', text: `${err.userMessage}\n\nUsage: \`${COMMAND} ${usage}\`` });
      return;
    }
    // Refusals (not on the team, not a manager) are answered by the app's error handler.
    if (err instanceof DomainError) throw err;
    // The command was acked already: whatever else failed, the person gets an answer, not silence.
    logger.error({ err, usage }, 'metrics command failed');
    await respond({ response_type: 'ephemeral', text: "Couldn't build the report, try again." }).catch((e: unknown) =>
      logger.error({ err: e }, 'metrics command: the failure notice did not reach Slack'),
    );
  }
}

const PERIOD_USAGE = '[7d|30d|this week|last week|YYYY-MM-DD..YYYY-MM-DD] [#channel|source]';

export function metricsSubcommands(identity: Pick<BotIdentity, 'url'>): Subcommand[] {
  const teamUrl = () => identity.url || null;
  const metrics: Subcommand = {
    name: 'metrics',
    usage: `metrics ${PERIOD_USAGE}`,
    description: `first reply, resolution, first contact resolution, CSAT and reviews against the previous period, by source, tag and agent (managers; periods: ${PERIOD_HELP})`,
    async run({ text, command, respond, deps }) {
      await withUsage(respond, deps.logger, metrics.usage, async () => {
        const r = renderMetricsReport(await teamMetrics(deps, { userId: command.user_id, text }), deps.config.tags);
        await respond({ response_type: 'ephemeral', text: r.text, blocks: r.blocks });
      });
    },
  };
  const queue: Subcommand = {
    name: 'queue',
    usage: 'queue [#channel]',
    description: 'open cases by status and age',
    async run({ text, command, respond, deps }) {
      await withUsage(respond, deps.logger, queue.usage, async () => {
        const r = renderQueueReport(await queueReport(deps, { userId: command.user_id, text }));
        await respond({ response_type: 'ephemeral', text: r.text, blocks: r.blocks });
      });
    },
  };
  const mine: Subcommand = {
    name: 'mine',
    usage: `mine ${PERIOD_USAGE}`,
    description: 'your open cases with their SLA, and the figures of the cases you own',
    async run({ text, command, respond, deps }) {
      await withUsage(respond, deps.logger, mine.usage, async () => {
        const r = renderMineReport(await mineReport(deps, { userId: command.user_id, text, teamUrl: teamUrl() }), deps.config.tags);
        await respond({ response_type: 'ephemeral', text: r.text, blocks: r.blocks });
      });
    },
  };
  const exportCsv: Subcommand = {
    name: 'export',
    usage: `export <${EXPORT_METRICS.join('|')}> ${PERIOD_USAGE}`,
    description: 'the rows behind a figure as a CSV file, sent to you in a DM (managers)',
    async run({ text, command, respond, deps, client }) {
      await withUsage(respond, deps.logger, exportCsv.usage, async () => {
        const file = await exportMetric(deps, { userId: command.user_id, text });
        if (file.rows === 0) {
          await respond({ response_type: 'ephemeral', text: `No rows for ${file.title}: nothing to export.` });
          return;
        }
        // To the person's DM with the app: figures about colleagues do not land in a channel by accident.
        const dm = await client.conversations.open({ users: command.user_id });
        await client.files.uploadV2({
          channel_id: dm.channel!.id!,
          file: Buffer.from(file.csv, 'utf8'),
          filename: file.filename,
          title: file.filename,
          initial_comment: `${file.rows} row${file.rows === 1 ? '' : 's'}: ${file.title}${file.truncated ? ` (the first ${file.rows}; narrow the period for the rest)` : ''}.`,
        });
        await respond({ response_type: 'ephemeral', text: `Sent \`${file.filename}\` (${file.rows} rows) to your DM with Trustloop.` });
      });
    },
  };
  return [metrics, queue, mine, exportCsv];
}
