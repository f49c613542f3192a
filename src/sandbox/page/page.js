// The sandbox page: a small Slack. It reads what the stand-in holds for the chosen person,
// renders messages from their Block Kit (render.ts), and sends every click, selection, command,
// message and reaction to the stand-in, which signs it and passes it to the app as Slack would.
// Text reaches the DOM only as text nodes (toDom), never as HTML.
import { EMOJI, renderBlocks, renderMessage } from './render.ts';

const $ = (id) => document.getElementById(id);
const ui = {
  me: localStorage.getItem('trustloop-sandbox-user') || '',
  place: JSON.parse(localStorage.getItem('trustloop-sandbox-place') || 'null') || { kind: 'channel', id: '' },
  thread: null,
  state: null,
};

function toDom(node) {
  if (typeof node === 'string') return document.createTextNode(node);
  const el = document.createElement(node.tag);
  for (const [k, v] of Object.entries(node.attrs || {})) el.setAttribute(k, v);
  for (const child of node.children || []) el.appendChild(toDom(child));
  if (node.tag === 'textarea') el.value = el.textContent;
  return el;
}

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

function ctx() {
  const s = ui.state;
  return {
    users: Object.fromEntries([...s.people.map((p) => [p.id, p.name]), ['UBOT0001', 'Trustloop']]),
    channels: Object.fromEntries(s.channels.map((c) => [c.id, c.name])),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

function clock(ts) {
  return new Date(Number(ts) * 1000).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
}

function messageNode(m, inThread) {
  const box = h('div', {
    class: `message${m.ephemeral ? ' ephemeral' : ''}`,
    'data-channel': m.channel,
    'data-ts': m.ts,
    ...(m.ephemeral ? { 'data-ephemeral': 'true' } : {}),
  });
  box.append(h('div', { class: `avatar${m.bot ? ' bot' : ''}` }, (m.author || '?').slice(0, 1)));
  const content = h('div', { class: 'content' });
  const meta = h('div', { class: 'meta' }, h('b', {}, m.author || 'Someone'));
  if (m.bot) meta.append(h('span', { class: 'app-badge' }, 'APP'));
  meta.append(clock(m.ts));
  content.append(meta);
  if (m.ephemeral) content.append(h('div', { class: 'ephemeral-note' }, 'Only visible to you'));
  for (const node of renderMessage(m, ctx())) content.append(toDom(node));
  for (const f of m.files || []) content.append(h('div', { class: 'file' }, `📎 ${f.title || f.id}`));
  if (!m.ephemeral) {
    const bar = h('div', { class: 'reactions' });
    for (const r of m.reactions || [])
      bar.append(
        h(
          'button',
          { class: `reaction${r.mine ? ' mine' : ''}`, 'data-reaction': r.name, onclick: () => react(m, r.name) },
          `${EMOJI[r.name] || `:${r.name}:`} ${r.count}`,
        ),
      );
    for (const name of ['eyes', 'white_check_mark']) {
      if (!(m.reactions || []).some((r) => r.name === name && r.mine))
        bar.append(h('button', { class: 'reaction add', 'data-add-reaction': name, onclick: () => react(m, name) }, `+ ${EMOJI[name]}`));
    }
    if (!inThread && !m.thread_ts)
      bar.append(
        h(
          'button',
          { class: 'replies', onclick: () => openThread(m) },
          m.replies ? `${m.replies} ${m.replies === 1 ? 'reply' : 'replies'}` : 'Reply in thread',
        ),
      );
    content.append(bar);
  }
  box.append(content);
  return box;
}

function react(m, name) {
  post('/sandbox/reaction', { user: ui.me, channel: m.channel, ts: m.ts, name });
}

function openThread(m) {
  ui.thread = { channel: m.channel, ts: m.ts };
  render();
}

function channelName(id) {
  return ui.state.channels.find((c) => c.id === id)?.name || id;
}

function currentChannel() {
  const s = ui.state;
  if (ui.place.kind === 'dm') return s.dm;
  if (ui.place.kind === 'channel') return ui.place.id || s.channels[0]?.id;
  return null;
}

function render() {
  const s = ui.state;
  if (!s) return;
  $('notice').textContent = s.notice;
  const picker = $('user-picker');
  picker.replaceChildren(
    ...s.people.map((p) => h('option', { value: p.id, ...(p.id === ui.me ? { selected: 'selected' } : {}) }, `${p.name} (${p.role})`)),
  );
  $('channels').replaceChildren(
    ...s.channels.map((c) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            class: `nav-link channel-link${ui.place.kind === 'channel' && currentChannel() === c.id ? ' active' : ''}`,
            'data-channel': c.id,
            onclick: () => go({ kind: 'channel', id: c.id }),
          },
          `# ${c.name}`,
        ),
      ),
    ),
  );
  $('home-link').classList.toggle('active', ui.place.kind === 'home');
  $('dm-link').classList.toggle('active', ui.place.kind === 'dm');
  $('reset').hidden = !s.canReset;

  const list = $('messages');
  const keepBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  if (ui.place.kind === 'home') {
    $('pane-title').textContent = 'Trustloop · Home';
    $('pane-hint').textContent = '';
    list.replaceChildren(
      s.home
        ? h('div', { class: 'home', 'data-view-id': s.home.id }, ...renderBlocks(s.home.blocks, ctx()).map(toDom))
        : h('div', { class: 'empty' }, 'Opening Home…'),
    );
  } else {
    const channel = currentChannel();
    $('pane-title').textContent = ui.place.kind === 'dm' ? 'Trustloop · Messages' : `# ${channelName(channel)}`;
    $('pane-hint').textContent = ui.place.kind === 'dm' ? 'Direct messages from Trustloop to you' : 'Type /trustloop help for the commands';
    const shown = [...s.messages, ...s.ephemerals]
      .filter((m) => m.channel === channel && !m.thread_ts)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    list.replaceChildren(...(shown.length ? shown.map((m) => messageNode(m, false)) : [h('div', { class: 'empty' }, 'Nothing here yet.')]));
  }
  if (keepBottom) list.scrollTop = list.scrollHeight;

  const thread = $('thread');
  thread.hidden = !ui.thread;
  if (ui.thread) {
    const { channel, ts } = ui.thread;
    const items = [...s.messages, ...s.ephemerals]
      .filter((m) => m.channel === channel && (m.ts === ts || m.thread_ts === ts))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    $('thread-messages').replaceChildren(...items.map((m) => messageNode(m, true)));
  }
  renderModal(s.modal);
}

function renderModal(view) {
  const modal = $('modal');
  modal.hidden = !view;
  if (!view) {
    modal.removeAttribute('data-view-id');
    return;
  }
  if (
    modal.getAttribute('data-view-id') === view.id &&
    modal.getAttribute('data-hash') === JSON.stringify(view.blocks).length + view.title?.text
  )
    return;
  modal.setAttribute('data-view-id', view.id);
  modal.setAttribute('data-hash', JSON.stringify(view.blocks).length + view.title?.text);
  $('modal-title').textContent = view.title?.text || '';
  $('modal-error').textContent = '';
  $('modal-body').replaceChildren(...renderBlocks(view.blocks, ctx()).map(toDom));
  $('modal-submit').textContent = view.submit?.text || 'Submit';
  $('modal-submit').hidden = !view.submit;
  $('modal-close').textContent = view.close?.text || 'Cancel';
}

/** The values of a modal's inputs in the shape Slack sends in view.state.values. */
function modalValues() {
  const values = {};
  for (const block of $('modal-body').querySelectorAll('.block.input')) {
    const el = block.querySelector('[data-kind]');
    if (!el) continue;
    const blockId = el.getAttribute('data-block-id');
    const actionId = el.getAttribute('data-action-id');
    const kind = el.getAttribute('data-kind');
    let v;
    if (kind === 'plain_text_input') v = { type: kind, value: el.value || null };
    else if (kind === 'datepicker') v = { type: kind, selected_date: el.value || null };
    else if (kind === 'users_select') v = { type: kind, selected_user: el.value || null };
    else if (kind === 'conversations_select') v = { type: kind, selected_conversation: el.value || null };
    else if (kind === 'multi_static_select') v = { type: kind, selected_options: [...el.selectedOptions].map(opt) };
    else if (kind === 'checkboxes')
      v = {
        type: kind,
        selected_options: [...el.querySelectorAll('input:checked')].map((i) => ({
          value: i.value,
          text: { type: 'plain_text', text: i.parentElement.textContent },
        })),
      };
    else if (kind === 'radio_buttons') {
      const i = el.querySelector('input:checked');
      v = { type: kind, selected_option: i ? { value: i.value, text: { type: 'plain_text', text: i.parentElement.textContent } } : null };
    } else v = { type: kind, selected_option: el.value ? opt(el.selectedOptions[0]) : null };
    values[blockId] = { [actionId]: v };
  }
  return values;
}

function opt(o) {
  return { value: o.value, text: { type: 'plain_text', text: o.textContent } };
}

function actionFrom(el) {
  const kind = el.getAttribute('data-kind');
  const a = { user: ui.me, kind, actionId: el.getAttribute('data-action-id'), blockId: el.getAttribute('data-block-id') };
  if (kind === 'button') a.value = el.getAttribute('data-value') || undefined;
  else if (el.tagName === 'SELECT') {
    a.selected = [...el.selectedOptions].map((o) => o.value).filter(Boolean);
    a.selectedText = [...el.selectedOptions].filter((o) => o.value).map((o) => o.textContent);
  } else a.selected = [el.value];
  const msg = el.closest('.message');
  const view = el.closest('[data-view-id]');
  if (msg)
    Object.assign(a, {
      channel: msg.getAttribute('data-channel'),
      ts: msg.getAttribute('data-ts'),
      ephemeral: msg.hasAttribute('data-ephemeral'),
    });
  else if (view) a.viewId = view.getAttribute('data-view-id');
  return a;
}

async function interact(el) {
  if (el.closest('.block.input')) return; // inputs are read when the modal is submitted
  const url = el.getAttribute('data-url');
  if (url) window.open(url, '_blank', 'noopener');
  const confirmText = el.getAttribute('data-confirm');
  if (confirmText && !window.confirm(confirmText)) return;
  await post('/sandbox/action', actionFrom(el));
}

document.addEventListener('click', (e) => {
  const el = e.target.closest('button[data-kind="button"]');
  if (el) {
    e.preventDefault();
    interact(el);
  }
});
document.addEventListener('change', (e) => {
  const el = e.target.closest('[data-kind]');
  if (el && el.getAttribute('data-kind') !== 'button') interact(el);
});

$('modal-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const viewId = $('modal').getAttribute('data-view-id');
  const r = await post('/sandbox/view', { user: ui.me, viewId, values: modalValues() });
  for (const el of $('modal-body').querySelectorAll('[data-error-for]'))
    el.textContent = r.errors?.[el.getAttribute('data-error-for')] || '';
  $('modal-error').textContent = r.errors?.[''] || '';
});
for (const id of ['modal-close', 'modal-x']) {
  $(id).addEventListener('click', () =>
    post('/sandbox/view', { user: ui.me, viewId: $('modal').getAttribute('data-view-id'), close: true }),
  );
}

async function send(input, threadTs) {
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  const channel = ui.thread && threadTs ? ui.thread.channel : currentChannel() || ui.state.dm;
  if (text.startsWith('/')) await post('/sandbox/command', { user: ui.me, channel, text });
  else await post('/sandbox/message', { user: ui.me, channel, text, ...(threadTs ? { threadTs } : {}) });
}
$('composer-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send($('composer'));
});
$('thread-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send($('thread-composer'), ui.thread?.ts);
});
$('thread-close').addEventListener('click', () => {
  ui.thread = null;
  render();
});
$('user-picker').addEventListener('change', (e) => {
  ui.me = e.target.value;
  localStorage.setItem('trustloop-sandbox-user', ui.me);
  load().then(() => ui.place.kind === 'home' && post('/sandbox/home', { user: ui.me }));
});
$('home-link').addEventListener('click', () => go({ kind: 'home' }));
$('dm-link').addEventListener('click', () => go({ kind: 'dm' }));
$('reset').addEventListener('click', async () => {
  if (!window.confirm('Delete everything in the sandbox and load fresh sample data?')) return;
  $('reset').disabled = true;
  await post('/sandbox/reset', {});
  $('reset').disabled = false;
  load();
});

function go(place) {
  ui.place = place;
  ui.thread = null;
  localStorage.setItem('trustloop-sandbox-place', JSON.stringify(place));
  if (place.kind === 'home') post('/sandbox/home', { user: ui.me });
  render();
}

let pending = null;
async function load() {
  const res = await fetch(`/sandbox/state?user=${encodeURIComponent(ui.me)}`);
  ui.state = await res.json();
  if (!ui.state.people.some((p) => p.id === ui.me)) ui.me = ui.state.people[0]?.id || '';
  if (ui.state.me !== ui.me) return load();
  render();
  document.body.setAttribute('data-ready', 'true');
}

new EventSource('/sandbox/events').onmessage = () => {
  // Several changes in a burst (a card and its thread) are read once.
  clearTimeout(pending);
  pending = setTimeout(load, 60);
};
load().then(() => ui.place.kind === 'home' && post('/sandbox/home', { user: ui.me }));
