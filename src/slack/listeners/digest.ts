import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { previewDetails } from '../../../blocks/digest';
import { buildCreateFixModal, buildFixList, fixDoneNotice, fixLabels, fixSubject } from '../../../blocks/fix-items';
import { PeriodError } from '../../domain/period';
import { InvalidInput } from '../../domain/errors';
import type { Deps } from '../../services/deps';
import { previewDigest, publishDigestCommand } from '../../services/digest';
import { checkFixForm, completeFix, createFix, defaultDueDate, openFixes } from '../../services/fix-items';
import { requireTeam } from '../../services/access';
import { decodeFixRef, decodeFixRequest, DIGEST } from '../ids';
import type { Subcommand } from './commands';
import { tell } from './respond';
import { dateOf, optionOf, textOf, userOf, type ViewValues } from './view-state';

// The weekly digest's buttons (Create fix, Mark done), the Create fix form, and the
// `/trustloop digest` and `/trustloop fixes` subcommands.

/** Slack lets a response_url be used five times: the main message and up to four detail messages. */
const PREVIEW_DETAILS = 4;

export function registerDigestActions(app: App, deps: Deps): void {
  app.action<BlockAction<ButtonAction>>(DIGEST.action.createFix, async ({ ack, body, action, client }) => {
    await ack();
    const request = decodeFixRequest(action.value);
    await requireTeam(deps, { caseId: null, actor: body.user.id, attempted: 'fix_create', what: 'create fixes', via: 'button' });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: buildCreateFixModal({
        request,
        tagLabel: fixLabels(deps.config).tagLabel(request.t),
        targets: deps.config.digest.fix_targets,
        defaultDue: defaultDueDate(deps),
      }),
    });
  });

  app.view(DIGEST.view.createFix, async ({ ack, body, view }) => {
    const request = decodeFixRequest(view.private_metadata);
    const values = view.state.values as ViewValues;
    const form = {
      ownerId: userOf(values, DIGEST.block.fixOwner, DIGEST.input),
      target: optionOf(values, DIGEST.block.fixTarget, DIGEST.input),
      dueOn: dateOf(values, DIGEST.block.fixDue, DIGEST.input),
      note: textOf(values, DIGEST.block.fixNote, DIGEST.input),
    };
    const errors = checkFixForm(deps, form, { owner: DIGEST.block.fixOwner, target: DIGEST.block.fixTarget, due: DIGEST.block.fixDue });
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const subject = fixSubject(fixLabels(deps.config).tagLabel(request.t), request.l ?? null);
    await createFix(deps, { actor: body.user.id, request, form, subject });
  });

  app.action<BlockAction<ButtonAction>>(DIGEST.action.fixDone, async ({ ack, body, action, respond }) => {
    await ack();
    const { item, changed } = await completeFix(deps, { actor: body.user.id, fixId: decodeFixRef(action.value) });
    await tell(respond, fixDoneNotice(item, changed, fixLabels(deps.config)));
  });
}

function weekProblem(err: unknown): string | null {
  return err instanceof PeriodError ? `${err.message}. Give a date in the week, such as \`2026-11-16\`, or \`last week\`.` : null;
}

export function digestSubcommand(): Subcommand {
  return {
    name: 'digest',
    usage: 'digest preview|publish [last week|YYYY-MM-DD]',
    description: 'the weekly voice-of-customer digest: preview it (only you see it), or publish it (managers)',
    async run({ text, command, respond, deps }) {
      const [verb = '', ...rest] = text.trim().split(/\s+/);
      const week = rest.join(' ');
      try {
        if (verb.toLowerCase() === 'preview') {
          await requireTeam(deps, {
            caseId: null,
            actor: command.user_id,
            attempted: 'digest_preview',
            what: 'preview the digest',
            via: 'command',
          });
          const { rendered, published } = await previewDigest(deps, { text: week });
          const note = published
            ? `Published on ${published.createdAt.toISOString().slice(0, 10)}; shown as it was published.`
            : 'Preview: not published.';
          await respond({ response_type: 'ephemeral', text: `${note}\n${rendered.main.text}`, blocks: rendered.main.blocks });
          for (const part of previewDetails(rendered.thread, PREVIEW_DETAILS))
            await respond({ response_type: 'ephemeral', text: part.text, blocks: part.blocks });
          return;
        }
        if (verb.toLowerCase() === 'publish') {
          const { digest, created } = await publishDigestCommand(deps, { userId: command.user_id, text: week });
          await respond({
            response_type: 'ephemeral',
            text: created
              ? `Publishing the digest for the week of ${digest.weekStart} in <#${digest.channel}>.`
              : `The digest for the week of ${digest.weekStart} was already published (by ${digest.publishedBy === 'schedule' ? 'the schedule' : `<@${digest.publishedBy}>`}); \`/trustloop digest preview ${digest.weekStart}\` shows it again.`,
          });
          return;
        }
      } catch (err) {
        const problem = weekProblem(err);
        if (!problem) throw err;
        throw new InvalidInput(problem);
      }
      await respond({ response_type: 'ephemeral', text: 'Use `/trustloop digest preview [week]` or `/trustloop digest publish [week]`.' });
    },
  };
}

export function fixesSubcommand(): Subcommand {
  return {
    name: 'fixes',
    usage: 'fixes',
    description: 'open fixes from the digest (who changes what, by when)',
    async run({ command, respond, deps }) {
      await requireTeam(deps, {
        caseId: null,
        actor: command.user_id,
        attempted: 'fixes_list',
        what: 'see the open fixes',
        via: 'command',
      });
      const { items, total } = await openFixes(deps);
      const list = buildFixList(items, total, fixLabels(deps.config));
      await respond({ response_type: 'ephemeral', text: list.text, blocks: list.blocks });
    },
  };
}
