// The one place untrusted text is made safe for Slack, and the limits it must fit.
// Source: docs.slack.dev Block Kit reference (see ../shared/slack/limits.md).

export const LIMITS = {
  blocksPerView: 100,
  sectionText: 3000,
  headerText: 150,
  optionText: 75,
  optionValue: 150,
  options: 100,
  modalTitle: 24,
  imageAlt: 2000,
  imageUrl: 3000,
  viewBytes: 250_000,
} as const;

const ELLIPSIS = '…';

/**
 * Makes untrusted text show literally in mrkdwn: Slack's three control characters are escaped
 * (`<!channel>` or `<@U123>` pings nobody), and `*bold*`, `_italic_`, `~strike~` and `` `code` ``
 * stay as typed (see `unformat`). Nothing else is encoded.
 */
export function escapeMrkdwn(text: string): string {
  return escapeControls(unformat(text));
}

function escapeControls(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const ZWSP = '\u200b';
const WORD = /[\p{L}\p{N}]/u;

/**
 * mrkdwn has no escape for its formatting characters. Slack only reads `*`, `_`, `~` and `` ` ``
 * as markers where they open or close a word, so an invisible zero-width space is put on the
 * side of each such marker that faces a space, punctuation or the edge: the marker is shown,
 * nothing is formatted. Markers inside a word (`jane_doe@example.com`, `2*3`) are left alone,
 * so addresses and codes copy as they were written.
 */
export function unformat(text: string): string {
  if (!/[*_~`]/.test(text)) return text;
  const chars = Array.from(text);
  let out = '';
  chars.forEach((ch, i) => {
    if (ch !== '*' && ch !== '_' && ch !== '~' && ch !== '`') {
      out += ch;
      return;
    }
    const before = chars[i - 1];
    const after = chars[i + 1];
    const opens = before === undefined || !WORD.test(before);
    const closes = after === undefined || !WORD.test(after);
    out += `${opens ? ZWSP : ''}${ch}${closes ? ZWSP : ''}`;
  });
  return out;
}

/**
 * Escapes, then cuts to at most `max` UTF-16 units (never inside an entity or a surrogate
 * pair), ending with an ellipsis when anything was cut.
 */
export function safeText(raw: string, max: number): string {
  return cut(unformat(raw), max, escapeControls).text;
}

/** Plain text (plain_text objects, option labels, titles): no escaping, only the limit. */
export function plain(raw: string, max: number): string {
  return cut(raw, max, identity).text;
}

export function isTruncated(raw: string, max: number, escape = true): boolean {
  return escape ? cut(unformat(raw), max, escapeControls).truncated : cut(raw, max, identity).truncated;
}

/**
 * Customer text as a mrkdwn block quote (every line starts with `>`), escaped and cut to `max`
 * as a whole, so the quote marks count against the limit and a cut never splits an entity.
 */
export function quote(raw: string, max: number): { text: string; truncated: boolean } {
  const body = cut(unformat(raw), max - 1, (ch) => (ch === '\n' ? '\n>' : escapeControls(ch)));
  return { text: `>${body.text}`, truncated: body.truncated };
}

const identity = (ch: string) => ch;

function cut(raw: string, max: number, piece: (ch: string) => string): { text: string; truncated: boolean } {
  let whole = '';
  let fits = true;
  for (const ch of raw) {
    whole += piece(ch);
    if (whole.length > max) {
      fits = false;
      break;
    }
  }
  if (fits) return { text: whole, truncated: false };
  const budget = max - ELLIPSIS.length;
  let out = '';
  for (const ch of raw) {
    const p = piece(ch);
    if (out.length + p.length > budget) break;
    out += p;
  }
  return { text: out + ELLIPSIS, truncated: true };
}

/** Collapses runs of whitespace: an excerpt on a card should not be mostly blank lines. */
export function squash(raw: string): string {
  return raw.replace(/\s+/g, ' ').trim();
}

/**
 * Splits long text into escaped chunks of at most `max` units each, breaking at a newline or
 * a space near the end of a chunk when there is one. Used for "show the full message".
 */
export function chunks(raw: string, max: number): string[] {
  const pieces = Array.from(unformat(raw), escapeControls);
  const out: string[] = [];
  let start = 0;
  while (start < pieces.length) {
    let end = start;
    let length = 0;
    let lastBreak = -1;
    while (end < pieces.length && length + pieces[end]!.length <= max) {
      length += pieces[end]!.length;
      if (pieces[end] === '\n' || pieces[end] === ' ') lastBreak = end + 1;
      end++;
    }
    if (end < pieces.length && lastBreak - start > (end - start) * 0.6) end = lastBreak;
    out.push(pieces.slice(start, end).join(''));
    start = end;
  }
  return out.length > 0 ? out : [''];
}

/** One way of writing each kind of figure everywhere (metrics, App Home, the digest). */
export const formatShare = (share: number) => `${Math.round(share * 100)}%`;
export const formatCsat = (average: number) => `${average.toFixed(1)} / 5`;
export const formatRating = (average: number) => `${average.toFixed(1)} ★`;

/** Slack renders this in each reader's own time zone; the fallback is UTC. */
export function slackDate(at: Date, format = '{date_short_pretty} {time}'): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  return `<!date^${unix}^${format}|${fallback}>`;
}

export function mention(userId: string): string {
  // Ids come from Slack or the validated config, never from customers.
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

export function formatMoney(amount: string | number, currency: string | null | undefined): string {
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(value)) return escapeMrkdwn(String(amount));
  const code = (currency ?? '').toUpperCase();
  try {
    if (/^[A-Z]{3}$/.test(code)) {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(value);
    }
  } catch {
    // Unknown currency code: fall through to a plain number.
  }
  return `${value.toFixed(2)}${code ? ` ${escapeMrkdwn(code)}` : ''}`;
}
