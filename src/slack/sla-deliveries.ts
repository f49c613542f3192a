import { buildReminderDm, buildSlaEscalationPost, type CaseLine } from '../../blocks/sla';
import { getCase } from '../db/queries/cases';
import { getSlaCases } from '../db/queries/sla';
import { formatTargetStatus } from '../domain/sla';
import { evaluateCaseSla, MUST_ESCALATE } from '../domain/sla-case';
import { cardPermalink } from '../domain/case';
import type { DeliveryDeps } from './deliveries';
import { type DeliveryHandlers, SkipDelivery } from './dispatcher';

// How SLA messages reach Slack. Both are rendered at delivery time: the escalation post links
// to the card as it is posted by then, and a DM (which may have waited for the recipient's
// working hours) leaves out the cases whose clock stopped meanwhile.

export function slaDeliveryHandlers(deps: DeliveryDeps) {
  return {
    async sla_escalation(ctx, p) {
      const c = ctx.row.caseId ? await getCase(ctx.db, { id: ctx.row.caseId }) : null;
      if (!c) throw new SkipDelivery('case no longer exists');
      const message = buildSlaEscalationPost({
        c,
        target: p.target,
        statusText: p.statusText,
        cardUrl: cardPermalink(deps.teamUrl(), c.channelId, c.slackTs),
      });
      const posted = await ctx.post({ channel: ctx.row.channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      return { ts: posted.ts };
    },

    async sla_dm(ctx, { items, overflow }) {
      const now = deps.clock();
      const byId = new Map((await getSlaCases(ctx.db, [...new Set(items.map((i) => i.caseId))])).map((c) => [c.id, c]));
      const lines: CaseLine[] = [];
      for (const item of items) {
        const c = byId.get(item.caseId);
        if (!c || c.status === 'resolved') continue;
        let statusText: string;
        if (item.target === MUST_ESCALATE) {
          statusText = 'must be handled by a person';
        } else {
          let target;
          try {
            target = evaluateCaseSla(deps.config.sla, c, now).state.targets.find((t) => t.cycleKey === item.cycleKey);
          } catch (err) {
            ctx.logger.warn({ err, caseId: c.id }, 'could not work out the SLA of a case in a reminder DM; leaving it out');
            continue;
          }
          // Replied to, resolved or otherwise stopped since the reminder was queued: nothing to say.
          if (!target || target.stoppedAt !== null) continue;
          statusText = formatTargetStatus(target, now);
        }
        lines.push({
          caseId: c.id,
          subject: c.subject,
          cardUrl: cardPermalink(deps.teamUrl(), c.channelId, c.slackTs),
          kind: item.kind,
          statusText,
        });
      }
      if (lines.length === 0) throw new SkipDelivery('every case in this reminder was handled meanwhile');
      const message = buildReminderDm(lines, { max: deps.config.sla.reminders.max_items_per_dm, more: overflow });
      const posted = await ctx.post({ channel: ctx.row.channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      return { ts: posted.ts };
    },
  } satisfies Partial<DeliveryHandlers>;
}
