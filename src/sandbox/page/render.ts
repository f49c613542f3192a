// Block Kit and mrkdwn, rendered for the sandbox's page. No maintained Block Kit renderer fits
// the stack (Slack's own is not published; the community ones are React apps that need a build
// and render raw HTML), so this one is small: it returns a tree of plain objects in which text is
// always a string, never markup. The page turns the tree into DOM nodes with textContent, so what
// a customer typed is shown as typed and can never become HTML.

/** A text node (a string) or an element. Only the page's own code chooses tags and attributes. */
export type VNode = string | { tag: string; attrs?: Record<string, string>; children?: VNode[] };

export interface RenderContext {
  /** Display names of people, for `<@U…>` mentions and users_select options. */
  users: Record<string, string>;
  /** Channel names, for `<#C…>` mentions and conversations_select options. */
  channels: Record<string, string>;
  /** The time zone dates are shown in (`<!date^…>`). */
  timeZone?: string;
}

type Json = Record<string, unknown>;

const el = (tag: string, attrs: Record<string, string> = {}, children: VNode[] = []): VNode => ({ tag, attrs, children });

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** Slack escapes exactly three characters in mrkdwn; undo them once the markup is read. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Links that may become an href: web and mail only (a `javascript:` link stays text). */
export function safeUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.toString() : null;
  } catch {
    return null;
  }
}

const DATE_FORMATS: Record<string, Intl.DateTimeFormatOptions> = {
  date_num: { year: 'numeric', month: '2-digit', day: '2-digit' },
  date: { year: 'numeric', month: 'long', day: 'numeric' },
  date_short: { year: 'numeric', month: 'short', day: 'numeric' },
  date_long: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  date_pretty: { year: 'numeric', month: 'long', day: 'numeric' },
  date_short_pretty: { year: 'numeric', month: 'short', day: 'numeric' },
  date_long_pretty: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit' },
  time_secs: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
};

/** `<!date^1700000000^{date_short} at {time}|fallback>` as Slack shows it, in the reader's zone. */
export function formatSlackDate(seconds: number, format: string, timeZone?: string): string {
  const at = new Date(seconds * 1000);
  if (Number.isNaN(at.getTime())) return '';
  return format.replace(/\{(\w+)\}/g, (whole, token: string) => {
    if (token === 'ago') return at.toISOString().slice(0, 16).replace('T', ' ');
    const opts = DATE_FORMATS[token];
    if (!opts) return whole;
    return new Intl.DateTimeFormat('en-GB', { ...opts, ...(timeZone ? { timeZone } : {}) }).format(at);
  });
}

/** One `<…>` token: a link, a mention, a special mention or a date. */
function angleToken(inner: string, ctx: RenderContext): VNode {
  const [target = '', ...rest] = inner.split('|');
  const label = rest.length > 0 ? decodeEntities(rest.join('|')) : undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return el('span', { class: 'mention', 'data-user': id }, [`@${ctx.users[id] ?? label ?? id}`]);
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return el('span', { class: 'mention channel' }, [`#${ctx.channels[id] ?? label ?? id}`]);
  }
  if (target.startsWith('!')) {
    const [kind = '', ...args] = target.slice(1).split('^');
    if (kind === 'date') {
      const shown = formatSlackDate(Number(args[0]), decodeEntities(args[1] ?? '{date_short}'), ctx.timeZone);
      return el('time', { class: 'date' }, [shown || label || '']);
    }
    if (kind === 'subteam') return el('span', { class: 'mention' }, [label ?? `@${args[0] ?? 'group'}`]);
    return el('span', { class: 'mention special' }, [`@${kind}`]);
  }
  const href = safeUrl(decodeEntities(target));
  const text = label ?? decodeEntities(target);
  return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, [text]) : text;
}

/** The emoji Trustloop's messages use, by Slack short name; an unknown one stays `:name:` as Slack shows custom emoji it lacks. */
export const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  rotating_light: '🚨',
  red_circle: '🔴',
  warning: '⚠️',
  memo: '📝',
  large_green_circle: '🟢',
  hourglass_flowing_sand: '⏳',
  double_vertical_bar: '⏸️',
  bust_in_silhouette: '👤',
  x: '❌',
  star: '⭐',
  star2: '🌟',
  page_facing_up: '📄',
  no_entry_sign: '🚫',
  label: '🏷️',
  clipboard: '📋',
  bank: '🏦',
  zap: '⚡',
  white_large_square: '⬜',
  trophy: '🏆',
  ticket: '🎫',
  stopwatch: '⏱️',
  speech_balloon: '💬',
  slightly_smiling_face: '🙂',
  slightly_frowning_face: '🙁',
  robot_face: '🤖',
  repeat: '🔁',
  raising_hand: '🙋',
  outbox_tray: '📤',
  new: '🆕',
  neutral_face: '😐',
  mag: '🔍',
  lock: '🔒',
  large_orange_circle: '🟠',
  information_source: 'ℹ️',
  inbox_tray: '📥',
  heavy_plus_sign: '➕',
  hammer_and_wrench: '🛠️',
  chart_with_upwards_trend: '📈',
  camera_with_flash: '📸',
  bell: '🔔',
  ballot_box_with_check: '☑️',
  arrows_counterclockwise: '🔄',
  arrow_forward: '▶️',
  arrow_down: '⬇️',
  alarm_clock: '⏰',
  eyes: '👀',
  large_yellow_circle: '🟡',
  thumbsup: '👍',
  '+1': '👍',
  tada: '🎉',
  heart: '❤️',
  package: '📦',
  credit_card: '💳',
  moneybag: '💰',
  email: '📧',
  envelope: '✉️',
  calendar: '📅',
  pushpin: '📌',
  link: '🔗',
  hourglass: '⌛',
  heavy_check_mark: '✔️',
  exclamation: '❗',
  question: '❓',
  fire: '🔥',
  sparkles: '✨',
  camera: '📷',
  frame_with_picture: '🖼️',
  busts_in_silhouette: '👥',
  chart_with_downwards_trend: '📉',
  bar_chart: '📊',
  mailbox: '📫',
  small_red_triangle: '🔺',
  small_red_triangle_down: '🔻',
  arrow_up: '⬆️',
  arrow_right: '➡️',
};

/** `:name:` short codes as the emoji they name. */
export function emojify(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

const STYLES: [string, string][] = [
  ['`', 'code'],
  ['*', 'b'],
  ['_', 'i'],
  ['~', 's'],
];

/** Bold, italic, strike and inline code in text that holds no `<…>` token. */
function formatted(text: string): VNode[] {
  for (const [mark, tag] of STYLES) {
    const m = mark === '`' ? '`' : `\\${mark}`;
    // Slack's rule: the marks hug the text and sit at word boundaries (`2*3*4` is not bold).
    const re = new RegExp(`(^|[^\\w${m}])${m}(?=\\S)([^${m}\\n]*?\\S)${m}(?![\\w${m}])`);
    const hit = re.exec(text);
    if (!hit) continue;
    const start = hit.index + hit[1]!.length;
    const inner = hit[2]!;
    const before = text.slice(0, start);
    const after = text.slice(hit.index + hit[0].length);
    const content = tag === 'code' ? [decodeEntities(inner)] : formatted(inner);
    return [...formatted(before), el(tag, {}, content), ...formatted(after)];
  }
  return text ? [emojify(decodeEntities(text))] : [];
}

/** Inline mrkdwn on one line: `<…>` tokens first (escaped text can hold no raw `<`), then styles. */
function inline(text: string, ctx: RenderContext): VNode[] {
  const out: VNode[] = [];
  const re = /<([^<>\n]+)>/g;
  let last = 0;
  for (let hit = re.exec(text); hit; hit = re.exec(text)) {
    out.push(...formatted(text.slice(last, hit.index)));
    out.push(angleToken(hit[1]!, ctx));
    last = hit.index + hit[0].length;
  }
  out.push(...formatted(text.slice(last)));
  return out;
}

/** Slack's mrkdwn: code blocks, quotes, lines, then inline marks. */
export function renderMrkdwn(text: string, ctx: RenderContext): VNode[] {
  const out: VNode[] = [];
  const parts = text.split('```');
  parts.forEach((part, i) => {
    if (i % 2 === 1 && i < parts.length - 1) {
      out.push(el('pre', {}, [decodeEntities(part.replace(/^\n/, ''))]));
      return;
    }
    const chunk = i % 2 === 1 ? '```' + part : part;
    let quote: VNode[] | null = null;
    chunk.split('\n').forEach((line, j, lines) => {
      const quoted = /^(&gt;|>)\s?/.exec(line);
      const content = inline(quoted ? line.slice(quoted[0].length) : line, ctx);
      if (quoted) {
        if (!quote) {
          quote = [];
          out.push(el('blockquote', {}, quote));
        } else quote.push(el('br'));
        quote.push(...content);
        return;
      }
      quote = null;
      out.push(...content);
      if (j < lines.length - 1 && !(lines[j + 1] !== undefined && /^(&gt;|>)/.test(lines[j + 1]!) && line === '')) out.push(el('br'));
    });
  });
  return out;
}

/** A text object: plain_text is shown exactly as written; mrkdwn is parsed. */
export function renderText(t: unknown, ctx: RenderContext): VNode[] {
  const obj = (t ?? {}) as Json;
  if (obj.type === 'mrkdwn') return renderMrkdwn(str(obj.text), ctx);
  return [plain(obj)];
}

/** plain_text as written; Slack turns its short codes into emoji when `emoji` is not false. */
const plain = (t: unknown): string => {
  const obj = (t ?? {}) as Json;
  return obj.emoji === false ? str(obj.text) : emojify(str(obj.text));
};

function optionNodes(options: Json[], selected: Set<string>): VNode[] {
  return options.map((o) => {
    const value = str(o.value);
    return el('option', { value, ...(selected.has(value) ? { selected: 'selected' } : {}) }, [plain(o.text)]);
  });
}

function allOptions(e: Json): Json[] {
  const groups = (e.option_groups as Json[] | undefined) ?? [];
  return [...((e.options as Json[] | undefined) ?? []), ...groups.flatMap((g) => (g.options as Json[] | undefined) ?? [])];
}

/** An interactive element; data-* attributes tell the page what to send when it is used. */
export function renderElement(e: Json, ctx: RenderContext, blockId: string): VNode {
  const data = { 'data-kind': str(e.type), 'data-action-id': str(e.action_id), 'data-block-id': blockId };
  switch (e.type) {
    case 'button': {
      const url = e.url ? safeUrl(str(e.url)) : null;
      const attrs: Record<string, string> = { ...data, class: `button ${str(e.style)}`.trim(), 'data-value': str(e.value) };
      if (url) attrs['data-url'] = url;
      if (e.confirm) attrs['data-confirm'] = plain((e.confirm as Json).text) || 'Are you sure?';
      return el('button', attrs, [plain(e.text)]);
    }
    case 'static_select':
    case 'external_select':
    case 'overflow': {
      const initial = str((e.initial_option as Json | undefined)?.value);
      const placeholder = e.type === 'overflow' ? '⋯' : plain(e.placeholder) || 'Select';
      return el('select', { ...data, class: e.type === 'overflow' ? 'overflow' : 'select' }, [
        el('option', { value: '', ...(initial ? {} : { selected: 'selected' }) }, [placeholder]),
        ...optionNodes(allOptions(e), new Set(initial ? [initial] : [])),
      ]);
    }
    case 'multi_static_select': {
      const initial = new Set(((e.initial_options as Json[] | undefined) ?? []).map((o) => str(o.value)));
      return el(
        'select',
        { ...data, class: 'select multi', multiple: 'multiple', title: plain(e.placeholder) },
        optionNodes(allOptions(e), initial),
      );
    }
    case 'users_select':
    case 'multi_users_select': {
      const initial = str(e.initial_user);
      const options = Object.entries(ctx.users).map(([value, name]) => ({ value, text: { text: name } }));
      return el('select', { ...data, class: 'select' }, [
        el('option', { value: '', ...(initial ? {} : { selected: 'selected' }) }, [plain(e.placeholder) || 'Select a person']),
        ...optionNodes(options, new Set([initial])),
      ]);
    }
    case 'conversations_select':
    case 'channels_select': {
      const initial = str(e.initial_conversation ?? e.initial_channel);
      const options = Object.entries(ctx.channels).map(([value, name]) => ({ value, text: { text: `#${name}` } }));
      return el('select', { ...data, class: 'select' }, [
        el('option', { value: '' }, [plain(e.placeholder) || 'Select a channel']),
        ...optionNodes(options, new Set([initial])),
      ]);
    }
    case 'datepicker':
      return el('input', { ...data, type: 'date', value: str(e.initial_date) });
    case 'plain_text_input':
      return e.multiline
        ? el('textarea', { ...data, rows: '4', placeholder: plain(e.placeholder) }, [str(e.initial_value)])
        : el('input', { ...data, type: 'text', value: str(e.initial_value), placeholder: plain(e.placeholder) });
    case 'radio_buttons':
    case 'checkboxes': {
      const initial = new Set(
        (e.type === 'radio_buttons' ? [e.initial_option as Json | undefined] : ((e.initial_options as Json[] | undefined) ?? []))
          .filter((o): o is Json => Boolean(o))
          .map((o) => str(o.value)),
      );
      const kind = e.type === 'radio_buttons' ? 'radio' : 'checkbox';
      return el(
        'fieldset',
        { ...data, class: 'choices' },
        ((e.options as Json[] | undefined) ?? []).map((o) =>
          el('label', {}, [
            el('input', {
              type: kind,
              name: `${blockId}.${str(e.action_id)}`,
              value: str(o.value),
              ...(initial.has(str(o.value)) ? { checked: 'checked' } : {}),
            }),
            ...renderText(o.text, ctx),
          ]),
        ),
      );
    }
    case 'image':
      return image(e);
    default:
      return el('span', { class: 'unsupported' }, [`[${str(e.type)}]`]);
  }
}

function image(e: Json): VNode {
  const src = safeUrl(str(e.image_url));
  return src ? el('img', { src, alt: str(e.alt_text), class: 'image' }) : el('span', { class: 'image missing' }, [str(e.alt_text)]);
}

/** One block; unknown types show their type, so nothing the app sends disappears silently. */
export function renderBlock(b: Json, ctx: RenderContext): VNode {
  const blockId = str(b.block_id);
  const attrs = { class: `block ${str(b.type)}`, ...(blockId ? { 'data-block-id': blockId } : {}) };
  switch (b.type) {
    case 'header':
      return el('div', attrs, [el('h3', {}, [plain(b.text)])]);
    case 'divider':
      return el('hr', attrs);
    case 'section': {
      const children: VNode[] = [];
      const body: VNode[] = [];
      if (b.text) body.push(el('div', { class: 'text' }, renderText(b.text, ctx)));
      const fields = (b.fields as Json[] | undefined) ?? [];
      if (fields.length > 0)
        body.push(
          el(
            'div',
            { class: 'fields' },
            fields.map((f) => el('div', { class: 'field' }, renderText(f, ctx))),
          ),
        );
      children.push(el('div', { class: 'body' }, body));
      if (b.accessory) children.push(el('div', { class: 'accessory' }, [renderElement(b.accessory as Json, ctx, blockId)]));
      return el('div', attrs, children);
    }
    case 'context':
      return el(
        'div',
        attrs,
        ((b.elements as Json[] | undefined) ?? []).map((e) => (e.type === 'image' ? image(e) : el('span', {}, renderText(e, ctx)))),
      );
    case 'actions':
      return el(
        'div',
        attrs,
        ((b.elements as Json[] | undefined) ?? []).map((e) => renderElement(e, ctx, blockId)),
      );
    case 'image':
      return el('div', attrs, [...(b.title ? [el('div', { class: 'title' }, [plain(b.title)])] : []), image(b)]);
    case 'input': {
      const element = (b.element ?? {}) as Json;
      return el('div', { ...attrs, 'data-optional': b.optional ? 'true' : 'false' }, [
        el('label', {}, [plain(b.label), ...(b.optional ? [el('span', { class: 'optional' }, [' (optional)'])] : [])]),
        renderElement(element, ctx, blockId),
        ...(b.hint ? [el('div', { class: 'hint' }, [plain(b.hint)])] : []),
        el('div', { class: 'error', 'data-error-for': blockId }, []),
      ]);
    }
    case 'rich_text':
      return el('div', attrs, [richTextPlain(b)]);
    default:
      return el('div', { ...attrs, class: 'block unsupported' }, [`[${str(b.type)} block]`]);
  }
}

/** Rich text (what people type) shown as its plain characters. */
function richTextPlain(node: unknown): string {
  const n = node as Json;
  if (typeof n.text === 'string') return n.text;
  if (n.type === 'user') return `@${str(n.user_id)}`;
  return ((n.elements as unknown[] | undefined) ?? []).map(richTextPlain).join('');
}

export function renderBlocks(blocks: unknown, ctx: RenderContext): VNode[] {
  return Array.isArray(blocks) ? blocks.map((b) => renderBlock(b as Json, ctx)) : [];
}

/** A message: its blocks when it has them, otherwise its text as mrkdwn (as Slack shows it). */
export function renderMessage(msg: { text?: string; blocks?: unknown[] }, ctx: RenderContext): VNode[] {
  if (msg.blocks && msg.blocks.length > 0) return renderBlocks(msg.blocks, ctx);
  return [el('div', { class: 'block section' }, [el('div', { class: 'text' }, renderMrkdwn(msg.text ?? '', ctx))])];
}

/** Every text node of a tree, in order (tests and the page's search use it). */
export function textOf(nodes: VNode | VNode[]): string {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  return list.map((n) => (typeof n === 'string' ? n : textOf(n.children ?? []))).join('');
}
