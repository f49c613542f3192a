import type { Tag } from '../src/domain/tag-catalogue';
import type { TimelineFact } from '../src/domain/timeline';
import { disputeTimelineEntry } from './dispute-timeline';
import type { CaseMessage } from './message';
import { buildDraftEntry, reviewTimelineEntry } from './review-response';
import { buildReminderThreadMessage } from './sla';
import { buildEventEntry, buildMessageEntry } from './timeline';

// A timeline fact as the message posted in the card's thread: each kind of fact has its builder.

export function buildThreadEntry(fact: TimelineFact, opts: { tags: readonly Tag[] }): CaseMessage {
  switch (fact.type) {
    case 'event':
      return buildEventEntry(fact, opts.tags);
    case 'message':
      return buildMessageEntry(fact);
    case 'review_draft':
      return buildDraftEntry({ response: fact.response, tags: opts.tags });
    case 'review_edited':
    case 'response_approved':
    case 'review_checklist':
      return reviewTimelineEntry(fact);
    case 'dispute_updated':
    case 'evidence_updated':
    case 'evidence_submitted':
    case 'dispute_reminder':
    case 'dispute_deadline_passed':
      return disputeTimelineEntry(fact);
    case 'sla_reminder':
      return buildReminderThreadMessage(fact, fact.at);
  }
}
