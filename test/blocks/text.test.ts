import { describe, expect, test } from 'vitest';
import { chunks, escapeMrkdwn, formatMoney, mention, plain, quote, safeText, slackDate } from '../../blocks/text';

describe('text safety', () => {
  test('escapes exactly & < > so mentions and links in customer text stay literal', () => {
    expect(escapeMrkdwn('<!channel> <@U123> <!subteam^S1> a & b > c')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;!subteam^S1&gt; a &amp; b &gt; c',
    );
    expect(escapeMrkdwn('"quotes" \'apos\'')).toBe('"quotes" \'apos\'');
  });

  test('formatting characters in customer text are shown as typed, never as bold, italics, strike or code', () => {
    const z = '\u200b';
    expect(escapeMrkdwn('*bold* _it_ ~gone~ `code`')).toBe(
      `${z}*bold*${z} ${z}_it_${z} ${z}~gone~${z} ${z}\`code\`${z}`,
    );
    // Every marker is kept; only invisible spaces stand between it and the word it would format.
    for (const raw of ['*URGENT* refund!!', 'size _M_ not L', '~$58k~ approx', 'x*y', '**__~~']) {
      expect(escapeMrkdwn(raw).replaceAll(z, '')).toBe(raw);
    }
    // No marker is left where it could open (after a space) or close (before a space) a span.
    expect(escapeMrkdwn('a *b* c')).not.toMatch(/(^|\s)\*|\*(\s|$)/);
    // Inside a word nothing changes, so addresses and codes copy as written.
    expect(escapeMrkdwn('jane_doe@example.com SKU_12*3')).toBe('jane_doe@example.com SKU_12*3');
    expect(safeText('*bold*', 100)).toBe(escapeMrkdwn('*bold*'));
    expect(quote('_x_', 100).text).toBe(`>${escapeMrkdwn('_x_')}`);
  });

  test('truncates to the limit with an ellipsis, never splitting an entity or an emoji', () => {
    expect(safeText('abc', 3)).toBe('abc');
    expect(safeText('abcdef', 4)).toBe('abc…');
    // "&amp;" would be cut in half at 4: the whole entity is dropped instead.
    expect(safeText('ab&cd', 4)).toBe('ab…');
    const emoji = '😀😀😀';
    const cut = safeText(emoji, 4);
    expect(cut).toBe('😀…');
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(plain('x'.repeat(200), 150)).toHaveLength(150);
  });

  test('quote marks every line and counts them against the limit', () => {
    expect(quote('a\nb <@U1>', 100)).toEqual({ text: '>a\n>b &lt;@U1&gt;', truncated: false });
    const q = quote('x\n'.repeat(100), 20);
    expect(q.truncated).toBe(true);
    expect(q.text.length).toBeLessThanOrEqual(20);
  });

  test('chunks cover the whole text, each within the limit, preferring word breaks', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ') + ' <@U1>';
    const parts = chunks(text, 3000);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(3000);
    expect(parts.join('')).toBe(escapeMrkdwn(text));
    expect(parts[0]!.endsWith(' ')).toBe(true);
    expect(chunks('', 10)).toEqual(['']);
  });

  test('dates render in the reader’s zone with a UTC fallback', () => {
    expect(slackDate(new Date('2026-11-27T09:30:00Z'))).toBe('<!date^1795771800^{date_short_pretty} {time}|2026-11-27 09:30 UTC>');
  });

  test('money and mentions', () => {
    expect(formatMoney('349', 'eur')).toBe('€349.00');
    expect(formatMoney('1299.5', 'USD')).toBe('$1,299.50');
    expect(formatMoney('5000', 'JPY')).toBe('¥5,000');
    expect(formatMoney('12', 'XXQ')).toBe('XXQ\u00a012.00');
    expect(mention('U0AGENT01')).toBe('<@U0AGENT01>');
    expect(mention('<!channel>')).toBe('&lt;!channel&gt;');
  });
});
