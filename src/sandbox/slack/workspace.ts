import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { blockProblems, viewProblems } from './block-limits';
import { slackHeaders } from './signing';
import { BOT, readAll, send, SlackDouble, type StoredMessage } from './slack-double';

// The sandbox's Slack: the same stand-in the tests use, plus what a person needs to use it in a
// browser. It keeps what Slack would show each person (ephemeral messages, modals, App Home,
// reactions), serves the page, and turns the page's clicks, commands and messages into requests
// to the app's /slack/events, signed exactly as Slack signs them. The page hears of every change
// through server-sent events and reads the new state.

export interface SandboxPerson {
  id: string;
  name: string;
  role: string;
}

export interface SandboxChannel {
  id: string;
  name: string;
}

interface Ephemeral extends StoredMessage {
  to: string;
}

interface StoredView {
  id: string;
  user: string;
  view: Record<string, any>;
}

/** Where the app listens and the secret it checks Slack's signatures with. */
export interface AppLink {
  eventsUrl: string;
  signingSecret: string;
}

const TEAM = { id: BOT.teamId, domain: 'sandbox' };
/** Posts per channel Slack lets through in a burst, and the window it counts them in. */
const BURST_POSTS = 4;
const BURST_WINDOW_MS = 3_000;
const APP_ID = 'A0SANDBOX';

const actionSchema = z.object({
  user: z.string(),
  channel: z.string().optional(),
  ts: z.string().optional(),
  viewId: z.string().optional(),
  ephemeral: z.boolean().optional(),
  blockId: z.string(),
  actionId: z.string(),
  kind: z.string(),
  value: z.string().optional(),
  selected: z.array(z.string()).optional(),
  selectedText: z.array(z.string()).optional(),
});
const commandSchema = z.object({ user: z.string(), channel: z.string(), text: z.string().max(4000) });
const messageSchema = z.object({
  user: z.string(),
  channel: z.string(),
  text: z.string().min(1).max(4000),
  threadTs: z.string().optional(),
});
const reactionSchema = z.object({ user: z.string(), channel: z.string(), ts: z.string(), name: z.string().regex(/^[a-z0-9_+-]+$/) });
const viewSchema = z.object({
  user: z.string(),
  viewId: z.string(),
  close: z.boolean().optional(),
  values: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))).optional(),
});

export class SandboxSlack extends SlackDouble {
  readonly ephemerals: Ephemeral[] = [];
  readonly views = new Map<string, StoredView>();
  readonly modals = new Map<string, string[]>();
  readonly homes = new Map<string, string>();
  /** `channel ts` → reaction name → who reacted. */
  readonly reactions = new Map<string, Map<string, Set<string>>>();
  private readonly triggers = new Map<string, string>();
  private readonly listeners = new Set<ServerResponse>();
  private link: AppLink | null = null;
  private viewSeq = 0;
  /** Starts over with fresh sample data (the page's Start over button). */
  onReset: (() => Promise<void>) | null = null;

  constructor(
    readonly people: SandboxPerson[],
    readonly channels: SandboxChannel[],
    private readonly pageDir: string,
    readonly notice = '',
  ) {
    super();
  }

  connect(link: AppLink): void {
    this.link = link;
  }

  override async stop(): Promise<void> {
    this.saveNow();
    for (const res of this.listeners) res.end();
    this.listeners.clear();
    await super.stop();
  }

  private name(id: string): string {
    return this.people.find((p) => p.id === id)?.name ?? (id === BOT.userId ? 'Trustloop' : id);
  }

  private dmOf(user: string): string {
    return `D${user.slice(1)}`;
  }

  /** Tells every open page that something changed; each reads the state it is allowed to see. */
  changed(kind: string): void {
    for (const res of this.listeners) res.write(`data: ${JSON.stringify({ kind })}\n\n`);
    this.scheduleSave();
  }

  private saveFile: string | null = null;
  private saveTimer: NodeJS.Timeout | undefined;

  /**
   * Keeps what the channels show in `file`, so a restarted sandbox shows the cards the database
   * still holds (Slack would have kept them too), and reads it back now if it is there.
   */
  persistIn(file: string): void {
    this.saveFile = file;
    if (!existsSync(file)) return;
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { messages?: StoredMessage[]; reactions?: [string, [string, string[]][]][] };
    this.messages.push(...(saved.messages ?? []));
    for (const [key, byName] of saved.reactions ?? []) this.reactions.set(key, new Map(byName.map(([n, who]) => [n, new Set(who)])));
  }

  private scheduleSave(): void {
    if (!this.saveFile || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), 200);
  }

  saveNow(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.saveFile) return;
    const reactions = [...this.reactions].map(([key, byName]) => [key, [...byName].map(([n, who]) => [n, [...who]])]);
    mkdirSync(path.dirname(this.saveFile), { recursive: true });
    writeFileSync(this.saveFile, JSON.stringify({ messages: this.messages, reactions }));
  }

  /** Forgets everything shown (starting over). */
  clear(): void {
    this.reset();
    this.ephemerals.length = 0;
    this.views.clear();
    this.modals.clear();
    this.homes.clear();
    this.reactions.clear();
    this.changed('reset');
  }

  private readonly posted = new Map<string, number[]>();
  /** The time the post pacing counts with (a test fixes it). */
  clock: () => number = () => Date.now();

  /**
   * Slack allows about one message per second per channel, tolerating short bursts; past that it
   * answers 429 with Retry-After. The sandbox does the same, so what paces well here paces well there.
   */
  protected override limit(method: string, a: Record<string, any>) {
    if (method !== 'chat.postMessage' || !a.channel) return null;
    const now = this.clock();
    const recent = (this.posted.get(String(a.channel)) ?? []).filter((t) => now - t < BURST_WINDOW_MS);
    if (recent.length >= BURST_POSTS) return { kind: 'ratelimit' as const, retryAfter: 1 };
    recent.push(now);
    this.posted.set(String(a.channel), recent);
    return null;
  }

  protected override answer(method: string, a: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'chat.postEphemeral': {
        if (a.blocks) {
          const problems = blockProblems(a.blocks, 'message');
          if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        const ts = this.nextTs();
        this.ephemerals.push({
          to: String(a.user),
          channel: String(a.channel),
          ts,
          text: a.text,
          blocks: a.blocks,
          user: BOT.userId,
          ...(a.thread_ts ? { thread_ts: String(a.thread_ts) } : {}),
        });
        this.changed('ephemeral');
        return { ok: true, message_ts: ts };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish':
        return this.view(method, a);
      case 'reactions.add': {
        this.react(String(a.channel), String(a.timestamp), String(a.name), BOT.userId);
        return { ok: true };
      }
      case 'users.info': {
        const person = this.people.find((p) => p.id === a.user);
        return {
          ok: true,
          user: {
            id: a.user,
            tz: 'Europe/Berlin',
            tz_offset: 3600,
            real_name: person?.name ?? `User ${a.user}`,
            name: person?.name ?? a.user,
          },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: this.dmOf(String(a.users).split(',')[0]!) } };
    }
    const answer = super.answer(method, a);
    if (answer.ok && ['chat.postMessage', 'chat.update', 'files.completeUploadExternal', 'chat.delete'].includes(method))
      this.changed(method);
    return answer;
  }

  private view(method: string, a: Record<string, any>): Record<string, unknown> {
    const view = (a.view ?? {}) as Record<string, any>;
    const problems = viewProblems(view);
    if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
    if (method === 'views.update') {
      const stored =
        this.views.get(String(a.view_id)) ??
        [...this.views.values()].find((v) => v.view.external_id && v.view.external_id === a.external_id);
      if (!stored) return { ok: false, error: 'not_found' };
      stored.view = { ...view, id: stored.id };
      this.changed('view');
      return { ok: true, view: stored.view };
    }
    const user = method === 'views.publish' ? String(a.user_id) : this.triggers.get(String(a.trigger_id));
    if (!user) return { ok: false, error: 'expired_trigger_id' };
    const id = `V${String(++this.viewSeq).padStart(8, '0')}`;
    this.views.set(id, { id, user, view: { ...view, id } });
    if (method === 'views.publish') this.homes.set(user, id);
    else if (method === 'views.open') this.modals.set(user, [id]);
    else {
      const stack = this.modals.get(user) ?? [];
      if (stack.length >= 3) return { ok: false, error: 'push_limit_reached' };
      stack.push(id);
      this.modals.set(user, stack);
    }
    this.changed('view');
    return { ok: true, view: { ...view, id } };
  }

  private react(channel: string, ts: string, name: string, user: string): boolean {
    const key = `${channel} ${ts}`;
    const byName = this.reactions.get(key) ?? new Map<string, Set<string>>();
    const who = byName.get(name) ?? new Set<string>();
    const added = !who.has(user);
    who.add(user);
    byName.set(name, who);
    this.reactions.set(key, byName);
    this.changed('reaction');
    return added;
  }

  private trigger(user: string): string {
    const id = `${Date.now()}.${++this.viewSeq}.sandbox`;
    this.triggers.set(id, user);
    return id;
  }

  /** A response_url that remembers who asked and where, so the answer reaches that person. */
  private responseUrlFor(user: string, channel: string, ts = ''): string {
    return this.responseUrl([user, channel, ts, String(++this.viewSeq)].map(encodeURIComponent).join('~'));
  }

  private userObject(id: string) {
    return { id, username: this.name(id), name: this.name(id), team_id: TEAM.id };
  }

  /** Sends a request to the app as Slack does: the raw body, signed with the signing secret. */
  private async toApp(body: string, contentType: string): Promise<{ status: number; text: string }> {
    if (!this.link) return { status: 503, text: 'the app is not connected yet' };
    const res = await fetch(this.link.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': contentType, ...slackHeaders(this.link.signingSecret, body) },
      body,
    });
    return { status: res.status, text: await res.text() };
  }

  private form(payload: unknown) {
    return this.toApp(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
  }

  private event(event: Record<string, unknown>) {
    return this.toApp(
      JSON.stringify({
        token: 'sandbox',
        team_id: TEAM.id,
        api_app_id: APP_ID,
        event: { event_ts: `${Date.now() / 1000}`, ...event },
        type: 'event_callback',
        event_id: `Ev${Date.now().toString(36)}${++this.viewSeq}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: TEAM.id, user_id: BOT.userId, is_bot: true }],
      }),
      'application/json',
    );
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/respond/')) return this.respond(req, res, url.pathname.slice('/respond/'.length));
    if (url.pathname === '/' || url.pathname.startsWith('/sandbox/')) return this.page(req, res, url);
    return super.handle(req, res);
  }

  /** What the app sends to a response_url: an ephemeral answer, an in-channel post, or an edit of the message clicked. */
  private async respond(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const body = JSON.parse((await readAll(req)).toString() || '{}') as Record<string, any>;
    this.responses.push({ path: `/respond/${id}`, body, at: Date.now() });
    const [user = '', channel = '', ts = ''] = id.split('~').map(decodeURIComponent);
    if (body.blocks) {
      const problems = blockProblems(body.blocks, 'message');
      if (problems.length > 0) return send(res, 400, { ok: false, error: 'invalid_blocks', errors: problems });
    }
    const own =
      this.ephemerals.find((e) => e.ts === ts && e.to === user) ?? this.messages.find((m) => m.channel === channel && m.ts === ts);
    if (body.delete_original && own) {
      const list: StoredMessage[] = 'to' in own ? this.ephemerals : this.messages;
      list.splice(list.indexOf(own), 1);
    } else if (body.replace_original && own) {
      own.text = body.text;
      own.blocks = body.blocks;
    } else if (body.response_type === 'in_channel') {
      this.messages.push({ channel, ts: this.nextTs(), text: body.text, blocks: body.blocks, user: BOT.userId });
    } else {
      this.ephemerals.push({ to: user, channel, ts: this.nextTs(), text: body.text, blocks: body.blocks, user: BOT.userId });
    }
    this.changed('response');
    send(res, 200, 'ok');
  }

  private async page(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /') return this.file(res, 'index.html', 'text/html; charset=utf-8');
    if (route === 'GET /sandbox/page.css') return this.file(res, 'page.css', 'text/css; charset=utf-8');
    if (route === 'GET /sandbox/page.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      return void res.end(await pageScript(this.pageDir));
    }
    if (route === 'GET /sandbox/state') return send(res, 200, this.state(url.searchParams.get('user') ?? ''));
    if (route === 'GET /sandbox/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      this.listeners.add(res);
      req.on('close', () => this.listeners.delete(res));
      return;
    }
    if (req.method !== 'POST') return send(res, 404, { ok: false, error: 'not_found' });
    let input: unknown;
    try {
      input = JSON.parse((await readAll(req)).toString() || '{}');
    } catch {
      return send(res, 400, { ok: false, error: 'invalid_json' });
    }
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {
      '/sandbox/action': (i) => this.action(actionSchema.parse(i)),
      '/sandbox/command': (i) => this.command(commandSchema.parse(i)),
      '/sandbox/message': (i) => this.message(messageSchema.parse(i)),
      '/sandbox/reaction': (i) => this.reaction(reactionSchema.parse(i)),
      '/sandbox/view': (i) => this.submit(viewSchema.parse(i)),
      '/sandbox/home': (i) => this.openHome(z.object({ user: z.string() }).parse(i).user),
      '/sandbox/reset': async () => {
        if (!this.onReset) return { ok: false, error: 'no reset here' };
        await this.onReset();
        return { ok: true };
      },
    };
    const handler = handlers[url.pathname];
    if (!handler) return send(res, 404, { ok: false, error: 'not_found' });
    try {
      send(res, 200, (await handler(input)) ?? { ok: true });
    } catch (err) {
      if (err instanceof z.ZodError)
        return send(res, 400, {
          ok: false,
          error: 'invalid_request',
          problems: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        });
      throw err;
    }
  }

  private file(res: ServerResponse, name: string, type: string): void {
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(readFileSync(path.join(this.pageDir, name)));
  }

  /** What one person sees: every channel's messages, their own ephemerals, modal and Home. */
  state(user: string) {
    const key = (m: StoredMessage) => `${m.channel} ${m.ts}`;
    const reactionsOf = (m: StoredMessage) =>
      [...(this.reactions.get(key(m))?.entries() ?? [])].map(([name, who]) => ({ name, count: who.size, mine: who.has(user) }));
    const dm = this.dmOf(user || 'U');
    const visible = this.messages.filter((m) => !m.channel.startsWith('D') || m.channel === dm);
    const shape = (m: StoredMessage) => ({
      channel: m.channel,
      ts: m.ts,
      thread_ts: m.thread_ts,
      text: m.text,
      blocks: m.blocks,
      user: m.user,
      author: this.name(m.user ?? ''),
      bot: m.user === BOT.userId,
      files: m.files,
      reactions: reactionsOf(m),
      replies: m.thread_ts ? 0 : this.messages.filter((r) => r.channel === m.channel && r.thread_ts === m.ts).length,
    });
    const modalStack = this.modals.get(user) ?? [];
    const modalId = modalStack[modalStack.length - 1];
    const homeId = this.homes.get(user);
    return {
      notice: this.notice,
      me: user,
      dm,
      people: this.people,
      channels: this.channels,
      messages: visible.map(shape),
      ephemerals: this.ephemerals.filter((e) => e.to === user).map((e) => ({ ...shape(e), ephemeral: true })),
      modal: modalId ? this.views.get(modalId)?.view : null,
      home: homeId ? this.views.get(homeId)?.view : null,
      canReset: Boolean(this.onReset),
    };
  }

  /** Clicks a button on a posted message as `user` would (the sandbox's sample history uses it). */
  async clickButton(user: string, msg: StoredMessage, actionId: string): Promise<boolean> {
    for (const b of msg.blocks ?? []) {
      const els = b.type === 'actions' ? (b.elements ?? []) : b.accessory ? [b.accessory] : [];
      const button = els.find((e: { type?: string; action_id?: string }) => e.type === 'button' && e.action_id === actionId);
      if (!button) continue;
      const r = await this.action({
        user,
        channel: msg.channel,
        ts: msg.ts,
        blockId: b.block_id ?? '',
        actionId,
        kind: 'button',
        value: button.value,
      });
      return r.ok;
    }
    return false;
  }

  private async action(a: z.infer<typeof actionSchema>) {
    const action: Record<string, unknown> = { action_id: a.actionId, block_id: a.blockId, type: a.kind, action_ts: `${Date.now() / 1000}` };
    const option = (v: string, i: number) => ({ text: { type: 'plain_text', text: a.selectedText?.[i] ?? v }, value: v });
    if (a.kind === 'button') action.value = a.value;
    else if (a.kind === 'users_select') action.selected_user = a.selected?.[0];
    else if (a.kind === 'conversations_select') action.selected_conversation = a.selected?.[0];
    else if (a.kind === 'channels_select') action.selected_channel = a.selected?.[0];
    else if (a.kind === 'datepicker') action.selected_date = a.selected?.[0];
    else if (a.kind.startsWith('multi_') || a.kind === 'checkboxes') action.selected_options = (a.selected ?? []).map(option);
    else action.selected_option = a.selected?.[0] ? option(a.selected[0], 0) : null;
    const base = {
      type: 'block_actions',
      user: this.userObject(a.user),
      api_app_id: APP_ID,
      token: 'sandbox',
      trigger_id: this.trigger(a.user),
      team: TEAM,
      actions: [action],
    };
    if (a.viewId) {
      const stored = this.views.get(a.viewId);
      if (!stored) return { ok: false, error: 'view_not_found' };
      const view = { ...stored.view, state: { values: {} }, hash: 'sandbox' };
      const r = await this.form({ ...base, container: { type: 'view', view_id: a.viewId }, view });
      return { ok: r.status < 300, status: r.status };
    }
    const channel = a.channel ?? '';
    const msg = a.ephemeral
      ? this.ephemerals.find((e) => e.ts === a.ts && e.to === a.user)
      : this.messages.find((m) => m.channel === channel && m.ts === a.ts);
    if (!msg) return { ok: false, error: 'message_not_found' };
    const r = await this.form({
      ...base,
      container: { type: 'message', message_ts: msg.ts, channel_id: channel, is_ephemeral: Boolean(a.ephemeral) },
      channel: { id: channel, name: this.channels.find((c) => c.id === channel)?.name ?? channel },
      message: {
        type: 'message',
        ts: msg.ts,
        text: msg.text,
        blocks: msg.blocks,
        ...(msg.user === BOT.userId ? { bot_id: BOT.botId } : { user: msg.user }),
      },
      state: { values: {} },
      response_url: this.responseUrlFor(a.user, channel, msg.ts),
    });
    return { ok: r.status < 300, status: r.status };
  }

  private async command(c: z.infer<typeof commandSchema>) {
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(c.text.trim());
    if (!m) return { ok: false, error: 'not a command' };
    const channelName = this.channels.find((x) => x.id === c.channel)?.name ?? 'directmessage';
    const body = new URLSearchParams({
      token: 'sandbox',
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: c.channel,
      channel_name: channelName,
      user_id: c.user,
      user_name: this.name(c.user),
      command: m[1]!,
      text: m[2]!,
      api_app_id: APP_ID,
      response_url: this.responseUrlFor(c.user, c.channel),
      trigger_id: this.trigger(c.user),
    }).toString();
    const r = await this.toApp(body, 'application/x-www-form-urlencoded');
    // Slack shows a command's immediate answer (the ack's body) to the person who typed it.
    if (r.status === 200 && r.text.trim()) {
      let answer: Record<string, any> = { text: r.text };
      try {
        answer = JSON.parse(r.text) as Record<string, any>;
      } catch {
        // plain text
      }
      if (answer.text || answer.blocks)
        this.ephemerals.push({
          to: c.user,
          channel: c.channel,
          ts: this.nextTs(),
          text: answer.text,
          blocks: answer.blocks,
          user: BOT.userId,
        });
      this.changed('command');
    }
    if (r.status === 404 || r.status >= 500) {
      this.ephemerals.push({
        to: c.user,
        channel: c.channel,
        ts: this.nextTs(),
        text: `${m[1]} failed with the following error: ${r.status === 404 ? 'dispatch_failed' : 'operation_timeout'}`,
        user: BOT.userId,
      });
      this.changed('command');
    }
    return { ok: r.status < 300, status: r.status };
  }

  private async message(p: z.infer<typeof messageSchema>) {
    // Slack escapes the three control characters of what a person types.
    const text = p.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const msg: StoredMessage = {
      channel: p.channel,
      ts: this.nextTs(),
      text,
      user: p.user,
      ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
    };
    this.messages.push(msg);
    this.changed('message');
    await this.event({
      type: 'message',
      channel: p.channel,
      user: p.user,
      text,
      ts: msg.ts,
      ...(p.threadTs ? { thread_ts: p.threadTs } : {}),
      channel_type: p.channel.startsWith('D') ? 'im' : 'channel',
    });
    return { ok: true, ts: msg.ts };
  }

  private async reaction(p: z.infer<typeof reactionSchema>) {
    const target = this.messages.find((m) => m.channel === p.channel && m.ts === p.ts);
    if (!target) return { ok: false, error: 'message_not_found' };
    if (!this.react(p.channel, p.ts, p.name, p.user)) return { ok: false, error: 'already_reacted' };
    await this.event({
      type: 'reaction_added',
      user: p.user,
      reaction: p.name,
      item: { type: 'message', channel: p.channel, ts: p.ts },
      item_user: target.user,
    });
    return { ok: true };
  }

  private async openHome(user: string) {
    await this.event({ type: 'app_home_opened', user, channel: this.dmOf(user), tab: 'home' });
    return { ok: true };
  }

  private async submit(p: z.infer<typeof viewSchema>) {
    const stored = this.views.get(p.viewId);
    const stack = this.modals.get(p.user) ?? [];
    if (!stored || stored.user !== p.user) return { ok: false, error: 'view_not_found' };
    if (p.close) {
      this.modals.delete(p.user);
      this.changed('view');
      return { ok: true };
    }
    const r = await this.form({
      type: 'view_submission',
      team: TEAM,
      user: this.userObject(p.user),
      api_app_id: APP_ID,
      token: 'sandbox',
      trigger_id: this.trigger(p.user),
      view: { ...stored.view, state: { values: p.values ?? {} }, hash: 'sandbox', team_id: TEAM.id, app_id: APP_ID, bot_id: BOT.botId },
    });
    let answer: Record<string, any> = {};
    try {
      answer = r.text.trim() ? (JSON.parse(r.text) as Record<string, any>) : {};
    } catch {
      // an empty acknowledgement
    }
    if (r.status !== 200) return { ok: false, status: r.status, errors: { '': 'We had some trouble connecting. Try again?' } };
    if (answer.response_action === 'errors') return { ok: false, errors: answer.errors ?? {} };
    if (answer.response_action === 'update' && answer.view) {
      stored.view = { ...answer.view, id: stored.id };
    } else if (answer.response_action === 'push' && answer.view) {
      const id = `V${String(++this.viewSeq).padStart(8, '0')}`;
      this.views.set(id, { id, user: p.user, view: { ...answer.view, id } });
      stack.push(id);
    } else {
      this.modals.delete(p.user);
    }
    this.changed('view');
    return { ok: true };
  }
}

let script: Promise<string> | undefined;

/** The page's script, bundled once from its sources by esbuild (already a dependency): no build step to remember. */
function pageScript(pageDir: string): Promise<string> {
  script ??= import('esbuild').then(async ({ build }) => {
    const out = await build({
      entryPoints: [path.join(pageDir, 'page.js')],
      bundle: true,
      format: 'esm',
      write: false,
      logLevel: 'silent',
      target: 'es2022',
    });
    return out.outputFiles[0]!.text;
  });
  return script;
}
