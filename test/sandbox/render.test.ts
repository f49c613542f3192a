import { describe, expect, test } from 'vitest';
import { renderBlock, renderMessage, renderMrkdwn, safeUrl, textOf, type VNode } from '../../src/sandbox/page/render';

// The sandbox page's Block Kit renderer: customer text is shown as typed (text nodes only, never
// markup), and Slack's mrkdwn (bold, italics, links, mentions, dates, quotes) reads as in Slack.

const ctx = { users: { U0AGENT01: 'Alex' }, channels: { C0SUPPORT: 'support' }, timeZone: 'UTC' };

/** Every element of a tree, depth first. */
function elements(nodes: VNode[]): Exclude<VNode, string>[] {
  return nodes.flatMap((n) => (typeof n === 'string' ? [] : [n, ...elements(n.children ?? [])]));
}

describe('mrkdwn', () => {
  test('escaped customer text is shown as typed and makes no element', () => {
    const nodes = renderMrkdwn('&lt;img src=x onerror=alert(1)&gt; &amp; &lt;!channel&gt;', ctx);
    expect(nodes).toEqual(['<img src=x onerror=alert(1)> & <!channel>']);
  });

  test('bold, italics, strike and code become elements holding their text', () => {
    const nodes = renderMrkdwn('*Customer* said _soon_ ~never~ `code *not bold*`', ctx);
    const tags = elements(nodes).map((e) => [e.tag, textOf(e.children ?? [])]);
    expect(tags).toEqual([
      ['b', 'Customer'],
      ['i', 'soon'],
      ['s', 'never'],
      ['code', 'code *not bold*'],
    ]);
  });

  test('marks inside words are not formatting (2*3*4)', () => {
    expect(renderMrkdwn('2*3*4 and snake_case_name', ctx)).toEqual(['2*3*4 and snake_case_name']);
  });

  test('links keep only web and mail addresses; mentions and dates read as Slack shows them', () => {
    const nodes = renderMrkdwn(
      '<https://example.com/a?b=1&amp;c=2|the order> <javascript:alert(1)|click> <@U0AGENT01> <#C0SUPPORT> <!here> <!date^1767225600^{date_short}|1 Jan>',
      ctx,
    );
    const link = elements(nodes).find((e) => e.tag === 'a')!;
    expect(link.attrs?.href).toBe('https://example.com/a?b=1&c=2');
    expect(textOf(link.children ?? [])).toBe('the order');
    expect(elements(nodes).filter((e) => e.tag === 'a')).toHaveLength(1);
    expect(textOf(nodes)).toBe('the order click @Alex #support @here 1 Jan 2026');
  });

  test('quotes and code blocks', () => {
    const nodes = renderMrkdwn('&gt;Hello\n&gt;there\nplain\n```a <b>\nc```', ctx);
    const quote = elements(nodes).find((e) => e.tag === 'blockquote')!;
    expect(textOf(quote.children ?? [])).toBe('Hellothere');
    expect(textOf(elements(nodes).find((e) => e.tag === 'pre')!.children ?? [])).toBe('a <b>\nc');
  });

  test('short codes become emoji outside code', () => {
    expect(textOf(renderMrkdwn(':red_circle: Urgent `:red_circle:` :no_such_emoji:', ctx))).toBe('🔴 Urgent :red_circle: :no_such_emoji:');
  });
});

describe('blocks', () => {
  test('a section with fields and a button accessory carries what the page sends on a click', () => {
    const node = renderBlock(
      {
        type: 'section',
        block_id: 'case_fields',
        fields: [{ type: 'mrkdwn', text: '*Customer*\nJane' }],
        accessory: {
          type: 'button',
          action_id: 'claim',
          value: '{"caseId":1}',
          style: 'primary',
          text: { type: 'plain_text', text: 'Claim' },
        },
      },
      ctx,
    );
    const button = elements([node]).find((e) => e.tag === 'button')!;
    expect(button.attrs).toMatchObject({
      'data-kind': 'button',
      'data-action-id': 'claim',
      'data-block-id': 'case_fields',
      'data-value': '{"caseId":1}',
    });
    expect(button.attrs?.class).toContain('primary');
    expect(textOf([node])).toBe('CustomerJaneClaim');
  });

  test('plain_text is never parsed: a header shows markup characters as typed', () => {
    const node = renderBlock({ type: 'header', text: { type: 'plain_text', text: '<b>*Refund*</b> &amp;' } }, ctx);
    expect(textOf([node])).toBe('<b>*Refund*</b> &amp;');
    expect(elements([node]).map((e) => e.tag)).toEqual(['div', 'h3']);
  });

  test('selects list their options with the initial one chosen; users_select offers the people', () => {
    const tags = renderBlock(
      {
        type: 'actions',
        block_id: 'case_actions:1',
        elements: [
          {
            type: 'static_select',
            action_id: 'priority',
            initial_option: { value: 'high', text: { type: 'plain_text', text: 'High' } },
            options: ['low', 'high'].map((v) => ({ value: v, text: { type: 'plain_text', text: v } })),
          },
          { type: 'users_select', action_id: 'assign', placeholder: { type: 'plain_text', text: 'Assign' } },
        ],
      },
      ctx,
    );
    const options = elements([tags]).filter((e) => e.tag === 'option');
    expect(options.map((o) => [o.attrs?.value, o.attrs?.selected ?? ''])).toEqual([
      ['', ''],
      ['low', ''],
      ['high', 'selected'],
      ['', 'selected'],
      ['U0AGENT01', ''],
    ]);
  });

  test('an image with an unsafe address is shown as its alt text', () => {
    const node = renderBlock({ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'chart' }, ctx);
    expect(elements([node]).some((e) => e.tag === 'img')).toBe(false);
    expect(textOf([node])).toBe('chart');
    expect(safeUrl('https://example.com/x.png')).toBe('https://example.com/x.png');
  });

  test('an unknown block type is named, not dropped', () => {
    expect(textOf([renderBlock({ type: 'video', block_id: 'v' }, ctx)])).toBe('[video block]');
  });

  test('a message without blocks shows its text as mrkdwn', () => {
    expect(textOf(renderMessage({ text: '*Metrics* for &lt;week&gt;' }, ctx))).toBe('Metrics for <week>');
  });
});
