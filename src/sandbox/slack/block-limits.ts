// Checks Block Kit payloads against Slack's documented limits (../shared/slack/limits.md), the
// way Slack answers invalid_blocks. The Slack double refuses payloads that break them, so every
// end-to-end test also proves what the app sends would be accepted.

type Json = Record<string, unknown>;

export function blockProblems(blocks: unknown, surface: 'message' | 'modal' | 'home' = 'message'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) problems.push(`${blocks.length} blocks (max ${max})`);
  const ids = new Set<string>();
  let textChars = 0;
  blocks.forEach((raw, i) => {
    const b = raw as Json;
    const at = `blocks[${i}]`;
    const id = b.block_id as string | undefined;
    if (id !== undefined) {
      if (id.length > 255) problems.push(`${at}.block_id longer than 255`);
      if (ids.has(id)) problems.push(`${at}.block_id "${id}" repeated`);
      ids.add(id);
    }
    switch (b.type) {
      case 'header':
        checkText(b.text, 150, `${at}.text`, problems, 'plain_text');
        break;
      case 'section': {
        if (b.text === undefined && b.fields === undefined) problems.push(`${at} needs text or fields`);
        if (b.text !== undefined) textChars += checkText(b.text, 3000, `${at}.text`, problems);
        const fields = (b.fields as unknown[] | undefined) ?? [];
        if (fields.length > 10) problems.push(`${at}.fields has ${fields.length} (max 10)`);
        fields.forEach((f, j) => (textChars += checkText(f, 2000, `${at}.fields[${j}]`, problems)));
        if (b.accessory) checkElement(b.accessory as Json, `${at}.accessory`, problems);
        break;
      }
      case 'context': {
        const els = (b.elements as Json[] | undefined) ?? [];
        if (els.length === 0 || els.length > 10) problems.push(`${at}.elements has ${els.length} (1–10)`);
        els.forEach((e, j) => {
          if (e.type === 'image') return;
          textChars += checkText(e, 3000, `${at}.elements[${j}]`, problems);
        });
        break;
      }
      case 'actions': {
        const els = (b.elements as Json[] | undefined) ?? [];
        if (els.length === 0 || els.length > 25) problems.push(`${at}.elements has ${els.length} (1–25)`);
        const actionIds = new Set<string>();
        els.forEach((e, j) => {
          checkElement(e, `${at}.elements[${j}]`, problems);
          const aid = e.action_id as string | undefined;
          if (aid) {
            if (actionIds.has(aid)) problems.push(`${at}.elements[${j}].action_id "${aid}" repeated`);
            actionIds.add(aid);
          }
        });
        break;
      }
      case 'input': {
        checkText(b.label, 2000, `${at}.label`, problems, 'plain_text');
        if (b.hint) checkText(b.hint, 2000, `${at}.hint`, problems, 'plain_text');
        if (!b.element) problems.push(`${at}.element missing`);
        break;
      }
      case 'image': {
        const url = (b.image_url as string | undefined) ?? '';
        if (!url && !b.slack_file) problems.push(`${at}.image_url missing`);
        if (url.length > 3000) problems.push(`${at}.image_url longer than 3000`);
        const alt = (b.alt_text as string | undefined) ?? '';
        if (alt.length < 1 || alt.length > 2000) problems.push(`${at}.alt_text must be 1–2000`);
        break;
      }
      case 'divider':
        break;
      default:
        if (typeof b.type !== 'string') problems.push(`${at}.type missing`);
    }
  });
  if (surface === 'message' && textChars > 13000)
    problems.push(`message text in blocks totals ${textChars} characters (msg_blocks_too_long)`);
  return problems;
}

function checkText(t: unknown, max: number, at: string, problems: string[], type?: 'plain_text'): number {
  const o = t as Json | undefined;
  if (!o || typeof o.text !== 'string') {
    problems.push(`${at} is not a text object`);
    return 0;
  }
  if (type && o.type !== type) problems.push(`${at} must be ${type}`);
  if (o.type !== 'plain_text' && o.type !== 'mrkdwn') problems.push(`${at}.type must be plain_text or mrkdwn`);
  if (o.text.length < 1) problems.push(`${at}.text is empty`);
  if (o.text.length > max) problems.push(`${at}.text is ${o.text.length} long (max ${max})`);
  return o.text.length;
}

function checkElement(e: Json, at: string, problems: string[]): void {
  const aid = e.action_id as string | undefined;
  if (aid && aid.length > 255) problems.push(`${at}.action_id longer than 255`);
  switch (e.type) {
    case 'button':
      checkText(e.text, 75, `${at}.text`, problems, 'plain_text');
      if (typeof e.value === 'string' && e.value.length > 2000) problems.push(`${at}.value longer than 2000`);
      if (typeof e.url === 'string' && e.url.length > 3000) problems.push(`${at}.url longer than 3000`);
      break;
    case 'static_select':
    case 'multi_static_select': {
      const options = (e.options as Json[] | undefined) ?? [];
      if (options.length === 0 && !e.option_groups) problems.push(`${at}.options empty`);
      if (options.length > 100) problems.push(`${at}.options has ${options.length} (max 100)`);
      const values = new Set<string>();
      options.forEach((o, k) => {
        checkText(o.text, 75, `${at}.options[${k}].text`, problems);
        const v = String(o.value ?? '');
        if (v.length > 150) problems.push(`${at}.options[${k}].value longer than 150`);
        values.add(v);
      });
      const initial = (e.initial_options as Json[] | undefined) ?? (e.initial_option ? [e.initial_option as Json] : []);
      initial.forEach((o, k) => {
        if (!values.has(String(o.value))) problems.push(`${at}.initial_options[${k}] is not one of the options`);
      });
      if (e.placeholder) checkText(e.placeholder, 150, `${at}.placeholder`, problems, 'plain_text');
      break;
    }
    case 'users_select':
    case 'multi_users_select':
    case 'conversations_select':
    case 'channels_select':
    case 'datepicker':
      if (e.placeholder) checkText(e.placeholder, 150, `${at}.placeholder`, problems, 'plain_text');
      break;
    case 'overflow': {
      const options = (e.options as Json[] | undefined) ?? [];
      if (options.length < 1 || options.length > 5) problems.push(`${at}.options has ${options.length} (1–5)`);
      break;
    }
    case 'image':
      break;
    default:
      if (typeof e.type !== 'string') problems.push(`${at}.type missing`);
  }
}

export function viewProblems(view: unknown): string[] {
  const v = view as Json;
  const problems: string[] = [];
  const surface = v.type === 'home' ? 'home' : 'modal';
  if (surface === 'modal') {
    checkText(v.title, 24, 'view.title', problems, 'plain_text');
    if (v.submit) checkText(v.submit, 24, 'view.submit', problems, 'plain_text');
    if (v.close) checkText(v.close, 24, 'view.close', problems, 'plain_text');
  }
  if (typeof v.private_metadata === 'string' && v.private_metadata.length > 3000) problems.push('view.private_metadata longer than 3000');
  if (typeof v.callback_id === 'string' && v.callback_id.length > 255) problems.push('view.callback_id longer than 255');
  problems.push(...blockProblems(v.blocks, surface));
  const size = Buffer.byteLength(JSON.stringify(v));
  if (size > 250_000) problems.push(`view is ${size} bytes (view_too_large)`);
  return problems;
}

/**
 * Message metadata as Slack accepts it on chat.postMessage and chat.update: an event_type that is
 * a short readable identifier and an event_payload whose values are strings, numbers, booleans, flat
 * objects or arrays of flat objects (the shape @slack/types declares). Slack refuses other shapes
 * with invalid_metadata_format and oversized payloads with metadata_too_large; it publishes no exact
 * size, so the stand-in holds payloads to a conservative 8 KB, far above the outbox id and case id
 * Trustloop attaches, so a change that starts to put customer text there is caught here first.
 */
export const METADATA_MAX_BYTES = 8_000;

export function metadataError(metadata: unknown): 'invalid_metadata_format' | 'metadata_too_large' | null {
  if (metadata === undefined) return null;
  if (!isObject(metadata)) return 'invalid_metadata_format';
  const { event_type: type, event_payload: payload } = metadata;
  if (typeof type !== 'string' || !/^[A-Za-z0-9_.-]{1,255}$/.test(type)) return 'invalid_metadata_format';
  if (!isObject(payload)) return 'invalid_metadata_format';
  const flat = (o: unknown) => isObject(o) && Object.values(o).every(isScalar);
  const valid = Object.values(payload).every((v) => isScalar(v) || flat(v) || (Array.isArray(v) && v.every(flat)));
  if (!valid) return 'invalid_metadata_format';
  if (Buffer.byteLength(JSON.stringify(metadata)) > METADATA_MAX_BYTES) return 'metadata_too_large';
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}
