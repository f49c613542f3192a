import type { ImageBlock, KnownBlock } from '@slack/types';
import { cardPermalink, caseRef } from '../src/domain/case';
import { LIMITS, escapeMrkdwn, plain } from './text';

// Links to cards and to provider media. URLs from providers are untrusted: they are used only
// when they are public https addresses, and are escaped so they cannot break out of a link.

/** "<url|TL-12>" when the card's address is known, else "TL-12". */
export function caseLink(teamUrl: string | null | undefined, c: { id: number; channelId: string; slackTs: string | null }): string {
  const url = cardPermalink(teamUrl, c.channelId, c.slackTs);
  return url ? `<${url}|${caseRef(c.id)}>` : caseRef(c.id);
}

const PRIVATE_HOST = /^(localhost|.*\.local|.*\.internal|.*\.localhost)$/i;
const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

/**
 * The URL when it is a public https address Slack can fetch (an image block with an address
 * Slack cannot fetch makes the whole message fail), else null.
 */
export function publicHttpsUrl(raw: string): string | null {
  if (raw.length > LIMITS.imageUrl || /\s/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  if (PRIVATE_HOST.test(url.hostname) || IP_LITERAL.test(url.hostname) || !url.hostname.includes('.')) return null;
  return url.toString().length <= LIMITS.imageUrl ? url.toString() : null;
}

/** A mrkdwn link to an untrusted URL: `|` and `>` would end the link early, so they are encoded. */
export function safeLink(url: string, label: string): string {
  const href = escapeMrkdwn(url.replace(/\|/g, '%7C'));
  return `<${href}|${escapeMrkdwn(label)}>`;
}

/** Image blocks for the photos of a review (public https only), at most `max`. */
export function photoBlocks(
  media: readonly { type: string; url: string }[],
  opts: { blockPrefix: string; alt: string; max: number },
): { blocks: KnownBlock[]; shown: number; skipped: number } {
  const photos = media.filter((m) => m.type === 'image');
  const usable = photos.map((m) => publicHttpsUrl(m.url)).filter((u): u is string => u !== null);
  const blocks: ImageBlock[] = usable.slice(0, opts.max).map((url, i) => ({
    type: 'image',
    block_id: `${opts.blockPrefix}_${i}`,
    image_url: url,
    alt_text: plain(`${opts.alt} (photo ${i + 1})`, LIMITS.imageAlt),
  }));
  return { blocks, shown: blocks.length, skipped: photos.length - blocks.length };
}

/** "▶ video 1 · ▶ video 2" links for public https videos. */
export function videoLinks(media: readonly { type: string; url: string }[], max = 5): string[] {
  return media
    .filter((m) => m.type === 'video')
    .map((m) => publicHttpsUrl(m.url))
    .filter((u): u is string => u !== null)
    .slice(0, max)
    .map((u, i) => safeLink(u, `▶ video ${i + 1}`));
}

/** The message without its image blocks: sent when Slack cannot fetch an image. */
export function withoutImages(blocks: readonly KnownBlock[]): KnownBlock[] {
  return blocks.filter((b) => b.type !== 'image');
}
