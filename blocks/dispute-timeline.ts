import { caseRef } from '../src/domain/case';
import { type DisputeChange, STAGE_LABELS, STATE_LABELS } from '../src/domain/disputes';
import { formatDuration } from '../src/domain/sla';
import type { TimelineFactOf } from '../src/domain/timeline';
import type { CaseMessage } from './message';
import { mention, safeText, slackDate } from './text';
import { timelineEntry } from './timeline';

// A dispute's lines in the card's thread: what the provider's update changed, the evidence
// checklist and its submission, and the respond-by reminders.

type DisputeFact = TimelineFactOf<
  'dispute_updated' | 'evidence_updated' | 'evidence_submitted' | 'dispute_reminder' | 'dispute_deadline_passed'
>;

export function disputeTimelineEntry(fact: DisputeFact): CaseMessage {
  switch (fact.type) {
    case 'dispute_updated': {
      const entries = fact.changes.map(describeChange);
      if (fact.closed) entries.push(closedLine(fact.closed));
      else if (fact.reopenedStage !== null) {
        const stage = STAGE_LABELS[fact.reopenedStage] ?? fact.reopenedStage;
        entries.push(`:arrows_counterclockwise: The dispute moved on to ${stage}, so ${caseRef(fact.caseId)} is open again`);
      }
      return timelineEntry(entries.join('\n'), fact.at, entries.join(' · ').replace(/:[a-z_]+: /g, ''));
    }
    case 'evidence_updated': {
      const parts = [...fact.added.map((x) => `+${x}`), ...fact.removed.map((x) => `−${x}`)];
      return timelineEntry(
        `:ballot_box_with_check: ${mention(fact.actor)} updated the evidence checklist${parts.length ? `: ${parts.join(', ')}` : ' notes'}`,
        fact.at,
      );
    }
    case 'evidence_submitted':
      return timelineEntry(`:outbox_tray: ${mention(fact.actor)} submitted the evidence; deadline reminders stop`, fact.at);
    case 'dispute_reminder': {
      const left = formatDuration(fact.respondBy.getTime() - fact.at.getTime());
      return timelineEntry(
        `:alarm_clock: *${left} left* to respond to the dispute (due ${slackDate(fact.respondBy)}), ${who(fact)}`,
        fact.at,
        `${caseRef(fact.caseId)}: ${left} left to respond to the dispute`,
      );
    }
    case 'dispute_deadline_passed':
      return timelineEntry(
        `:rotating_light: The respond-by deadline passed without a response; ${caseRef(fact.caseId)} is escalated. ${who(fact)}`,
        fact.at,
        `${caseRef(fact.caseId)}: respond-by deadline passed`,
      );
  }
}

/** The owner, or while nobody owns the case the managers. */
function who(f: { ownerId: string | null; managers: readonly string[] }): string {
  if (f.ownerId) return mention(f.ownerId);
  return f.managers.length > 0 ? `nobody owns it yet: ${f.managers.map(mention).join(' ')}` : 'nobody owns it yet';
}

function describeChange(ch: DisputeChange): string {
  switch (ch.field) {
    case 'stage':
      return `:arrow_up: Stage: ${STAGE_LABELS[ch.from ?? ''] ?? ch.from} → *${STAGE_LABELS[ch.to ?? ''] ?? ch.to}*`;
    case 'state':
      return `:arrows_counterclockwise: ${STATE_LABELS[ch.from ?? ''] ?? ch.from} → *${STATE_LABELS[ch.to ?? ''] ?? ch.to}*`;
    case 'respond_by':
      return `:alarm_clock: New respond-by deadline: ${ch.to ? slackDate(new Date(ch.to)) : 'none'}`;
    case 'amount':
      return `:heavy_dollar_sign: Amount: ${safeText(ch.from ?? '', 40)} → ${safeText(ch.to ?? '', 40)}`;
    case 'reason':
      return `:speech_balloon: Reason: ${safeText(ch.to ?? '', 300)}`;
  }
}

function closedLine(closed: { outcome: string | null; state: string }): string {
  if (closed.outcome === 'won') return ':trophy: The dispute closed: *won*';
  if (closed.outcome === 'lost') return ':x: The dispute closed: *lost*';
  return `:lock: The dispute closed (${STATE_LABELS[closed.state] ?? closed.state})`;
}
