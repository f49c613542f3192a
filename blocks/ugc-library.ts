import type { KnownBlock } from '@slack/types';
import { CONSENT_SCOPE_LABELS, type ConsentState, type UgcItem, type UgcLibrary } from '../src/domain/ugc-consent';
import { UGC_LIBRARY } from '../src/slack/ids';
import type { CaseMessage } from './message';
import { LIMITS, plain, safeText, slackDate, squash } from './text';

// `/trustloop ugc`: what may be used where. Only items with a current, recorded grant are listed
// as usable, each with the places the customer agreed to; the rest are counted by their state.

const MAX_LINES = 40;

const STATE_LABELS: Record<ConsentState, string> = {
  none: 'not asked',
  requested: 'waiting for the customer',
  granted: 'granted',
  declined: 'declined',
  revoked: 'revoked',
  expired: 'expired',
};

function line(i: UgcItem, permalink: (channel: string, ts: string) => string | null): string {
  const what = `${'★'.repeat(i.rating)} ${i.productTitle ? safeText(squash(i.productTitle), 120) : 'review'}`;
  const link = i.channel && i.ts ? permalink(i.channel, i.ts) : null;
  const title = link ? `<${link}|${what}>` : what;
  const who = i.reviewerName ? ` · ${safeText(squash(i.reviewerName), 60)}` : '';
  const where = i.usable.map((s) => CONSENT_SCOPE_LABELS[s]).join(', ');
  const until = i.expiresAt ? ` until ${slackDate(i.expiresAt)}` : '';
  return `• ${title}${who} · ${i.media} photo${i.media === 1 ? '' : 's'}/video${i.media === 1 ? '' : 's'} · *${where}*${until}`;
}

export function buildUgcLibrary(lib: UgcLibrary, permalink: (channel: string, ts: string) => string | null = () => null): CaseMessage {
  const lines = lib.usable.slice(0, MAX_LINES).map((i) => line(i, permalink));
  if (lib.usable.length > MAX_LINES) lines.push(`and ${lib.usable.length - MAX_LINES} more`);
  const usableText =
    lib.usable.length === 0
      ? '*Usable:* nothing yet. An item is usable only once the customer’s consent is recorded.'
      : `*Usable* (${lib.usable.length}), where the customer agreed:\n${lines.join('\n')}`;
  const counts = (Object.entries(lib.byState) as [ConsentState, number][]).map(([s, n]) => `${n} ${STATE_LABELS[s]}`);
  const blocks: KnownBlock[] = [
    { type: 'section', block_id: UGC_LIBRARY.usable, text: { type: 'mrkdwn', text: usableText.slice(0, LIMITS.sectionText) } },
    {
      type: 'context',
      block_id: UGC_LIBRARY.notUsable,
      elements: [{ type: 'mrkdwn', text: counts.length > 0 ? `Not usable: ${counts.join(' · ')}` : 'Nothing else in the UGC channel.' }],
    },
  ];
  return { text: plain(`UGC library: ${lib.usable.length} usable, ${lib.notUsable.length} not usable`, 300), blocks };
}
