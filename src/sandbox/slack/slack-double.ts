import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockProblems, metadataError, viewProblems } from './block-limits';

// A local stand-in for Slack's Web API (SLACK_API_URL points here). It records every call,
// answers like Slack does, keeps the messages posted so history/replies work, refuses
// payloads that break Block Kit or message-metadata limits as Slack does, and can inject faults.

export interface Call {
  method: string;
  args: Record<string, any>;
  token?: string;
  at: number;
  /** The fault this call was answered with, if any. */
  fault?: Fault;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: any[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  user?: string;
  files?: { id: string; title?: string }[];
}

export type Fault =
  | { kind: 'ratelimit'; retryAfter: number }
  /** An HTTP error status; with processed, Slack did the work before failing to answer well. */
  | { kind: 'status'; status: number; processed?: boolean }
  | { kind: 'error'; error: string }
  /** Slack processes the call but the answer never arrives (the connection hangs). */
  | { kind: 'hang' }
  /** Slack processes the call; the answer arrives after ms. */
  | { kind: 'delay'; ms: number };

interface PendingFault {
  method: string;
  fault: Fault;
  times: number;
}

export const BOT = { userId: 'UBOT0001', botId: 'BBOT0001', teamId: 'T0TEAM001', url: 'https://acme-store.slack.com/' };

export class SlackDouble {
  readonly calls: Call[] = [];
  readonly responses: { path: string; body: any; at: number }[] = [];
  readonly uploads: { id: string; bytes: Buffer }[] = [];
  readonly messages: StoredMessage[] = [];
  usergroups: Record<string, string[]> = {};
  /** Private channels and whether the bot is in them; every other C… channel is public. */
  privateChannels: Record<string, { member: boolean }> = {};
  /** Channels the bot has joined or was invited to. */
  readonly joined = new Set<string>();
  /** Channels that do not exist. */
  missingChannels = new Set<string>();
  /** What the name look-ups (conversations.list, users.list, users.lookupByEmail, usergroups.list) find. */
  directory: {
    channels: { id: string; name: string }[];
    users: { id: string; name: string; email?: string; display_name?: string; deleted?: boolean }[];
    usergroups: { id: string; handle: string }[];
  } = { channels: [], users: [], usergroups: [] };
  /** Items per page of a list answer (Slack pages by cursor); small values make tests page. */
  pageSize = 100;
  private faults: PendingFault[] = [];
  private server: Server | null = null;
  private seq = 0;
  private hanging = new Set<ServerResponse>();
  private readonly baseTs = Math.floor(Date.now() / 1000);
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id = 'r1'): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** Listens on `port` (0: any free one); a test that starts Trustloop first and Slack later passes the port it promised. */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.writeHead(500);
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server!.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    await new Promise<void>((r) => {
      this.server?.close(() => r());
      this.server?.closeAllConnections();
    });
  }

  /** The next `times` calls of `method` get this fault. */
  fail(method: string, fault: Fault, times = 1): void {
    this.faults.push({ method, fault, times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Posted messages (chat.postMessage calls that Slack accepted), optionally in one channel. */
  posts(channel?: string): StoredMessage[] {
    return this.messages.filter((m) => !channel || m.channel === channel);
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.messages.length = 0;
    this.uploads.length = 0;
    this.faults = [];
  }

  /** Polls a synchronous probe (an async one would be a promise, always truthy: refused). */
  async waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v instanceof Promise) throw new Error('waitFor needs a synchronous probe; use vi.waitFor for async checks');
      if (v) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  protected nextTs(): string {
    this.seq++;
    return `${this.baseTs + this.seq}.${String(this.seq).padStart(6, '0')}`;
  }

  private takeFault(method: string): Fault | null {
    const i = this.faults.findIndex((f) => f.method === method);
    if (i < 0) return null;
    const f = this.faults[i]!;
    f.times--;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f.fault;
  }

  /** A limit Slack would enforce on this call (the sandbox paces posts per channel); none by default. */
  protected limit(_method: string, _args: Record<string, any>): Fault | null {
    return null;
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ path: url.pathname, body: JSON.parse(body.toString() || '{}'), at: Date.now() });
      return send(res, 200, 'ok');
    }
    if (url.pathname.startsWith('/upload/')) {
      // The upload URL takes the raw bytes or a multipart form (files.uploadV2 sends one): keep the file's bytes.
      this.uploads.push({ id: url.pathname.slice('/upload/'.length), bytes: fileBytes(req.headers['content-type'] ?? '', body) });
      return send(res, 200, 'OK - ' + body.length);
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(req.headers['content-type'] ?? '', body);
    const auth = req.headers.authorization;
    const call: Call = { method, args, token: auth?.replace(/^Bearer /, ''), at: Date.now() };
    this.calls.push(call);

    const fault = this.takeFault(method) ?? this.limit(method, args);
    if (fault) call.fault = fault;
    if (fault?.kind === 'ratelimit') {
      res.writeHead(429, { 'retry-after': String(fault.retryAfter), 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    }
    if (fault?.kind === 'status' && !fault.processed) return send(res, fault.status, { ok: false, error: 'internal_error' });
    if (fault?.kind === 'error') return send(res, 200, { ok: false, error: fault.error });

    const answer = this.answer(method, args);
    if (fault?.kind === 'status') return send(res, fault.status, { ok: false, error: 'internal_error' });
    if (fault?.kind === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    send(res, 200, answer);
  }

  protected answer(method: string, a: Record<string, any>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: BOT.url,
          team: 'Acme Store',
          user: 'trustloop',
          team_id: BOT.teamId,
          user_id: BOT.userId,
          bot_id: BOT.botId,
        };
      case 'chat.postMessage': {
        if (!a.channel) return { ok: false, error: 'channel_not_found' };
        if (!a.text && !a.blocks) return { ok: false, error: 'no_text' };
        if (a.blocks) {
          const problems = blockProblems(a.blocks, 'message');
          if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        const metaError = metadataError(a.metadata);
        if (metaError) return { ok: false, error: metaError };
        const channel = String(a.channel).startsWith('U') ? `D${String(a.channel).slice(1)}` : String(a.channel);
        const msg: StoredMessage = { channel, ts: this.nextTs(), text: a.text, blocks: a.blocks, metadata: a.metadata, user: BOT.userId };
        if (a.thread_ts) msg.thread_ts = String(a.thread_ts);
        this.messages.push(msg);
        return { ok: true, channel, ts: msg.ts, message: { ...msg, bot_id: BOT.botId } };
      }
      case 'chat.update': {
        const msg = this.messages.find((m) => m.channel === a.channel && m.ts === a.ts);
        if (!msg) return { ok: false, error: 'message_not_found' };
        if (a.blocks) {
          const problems = blockProblems(a.blocks, 'message');
          if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        }
        const metaError = metadataError(a.metadata);
        if (metaError) return { ok: false, error: metaError };
        msg.text = a.text;
        msg.blocks = a.blocks;
        if (a.metadata !== undefined) msg.metadata = a.metadata;
        return { ok: true, channel: a.channel, ts: a.ts, text: a.text };
      }
      case 'conversations.join': {
        const id = String(a.channel);
        if (this.missingChannels.has(id)) return { ok: false, error: 'channel_not_found' };
        // As Slack does: a private channel is invisible to a bot that is not in it.
        const priv = this.privateChannels[id];
        if (priv) return { ok: false, error: priv.member ? 'method_not_supported_for_channel_type' : 'channel_not_found' };
        this.joined.add(id);
        return { ok: true, channel: { id, is_member: true } };
      }
      case 'conversations.info': {
        const id = String(a.channel);
        const priv = this.privateChannels[id];
        if (this.missingChannels.has(id) || (priv && !priv.member)) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id, is_private: !!priv, is_member: priv ? priv.member : this.joined.has(id) } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'chat.getPermalink':
        return { ok: true, channel: a.channel, permalink: `${BOT.url}archives/${a.channel}/p${String(a.message_ts).replace('.', '')}` };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(a.users).split(',')[0]!.slice(1)}` } };
      case 'conversations.history': {
        const oldest = Number(a.oldest ?? 0);
        const list = this.messages
          .filter((m) => m.channel === a.channel && !m.thread_ts && Number(m.ts) > oldest)
          .map((m) => this.shape(m, a.include_all_metadata))
          .reverse();
        return { ok: true, messages: list, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.replies': {
        const list = this.messages
          .filter((m) => m.channel === a.channel && (m.ts === a.ts || m.thread_ts === a.ts))
          .map((m) => this.shape(m, a.include_all_metadata));
        return { ok: true, messages: list, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const problems = viewProblems(a.view);
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        return { ok: true, view: { id: `V${this.seq++}`, ...a.view } };
      }
      case 'conversations.list': {
        // As Slack does: private channels the bot is not in are not listed.
        const visible = this.directory.channels.filter(
          (c) => !this.missingChannels.has(c.id) && (this.privateChannels[c.id]?.member ?? true),
        );
        return this.listPage(
          'channels',
          visible.map((c) => ({ id: c.id, name: c.name, is_private: !!this.privateChannels[c.id] })),
          a,
        );
      }
      case 'users.list':
        return this.listPage(
          'members',
          this.directory.users.map((u) => ({
            id: u.id,
            name: u.name,
            deleted: !!u.deleted,
            profile: {
              display_name: u.display_name ?? '',
              display_name_normalized: u.display_name ?? '',
              ...(u.email ? { email: u.email } : {}),
            },
          })),
          a,
        );
      case 'users.lookupByEmail': {
        const u = this.directory.users.find((x) => !x.deleted && x.email?.toLowerCase() === String(a.email).toLowerCase());
        return u ? { ok: true, user: { id: u.id, name: u.name, profile: { email: u.email } } } : { ok: false, error: 'users_not_found' };
      }
      case 'usergroups.list':
        return { ok: true, usergroups: this.directory.usergroups.map((g) => ({ id: g.id, handle: g.handle, name: g.handle })) };
      case 'usergroups.users.list':
        return this.usergroups[a.usergroup] ? { ok: true, users: this.usergroups[a.usergroup] } : { ok: false, error: 'no_such_subteam' };
      case 'users.info':
        return { ok: true, user: { id: a.user, tz: 'Europe/Berlin', tz_offset: 3600, real_name: `User ${a.user}` } };
      case 'reactions.add':
        return { ok: true };
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (a.files ?? []).map((f: { id: string; title?: string }) => ({ id: f.id, title: f.title }));
        // Shared into a channel (or its thread), the file shows as a message there.
        if (a.channel_id) {
          const msg: StoredMessage = {
            channel: String(a.channel_id),
            ts: this.nextTs(),
            text: a.initial_comment ?? '',
            files,
            user: BOT.userId,
          };
          if (a.thread_ts) msg.thread_ts = String(a.thread_ts);
          this.messages.push(msg);
        }
        return { ok: true, files };
      }
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl ?? 'ws://127.0.0.1:1/' };
      default:
        return { ok: true };
    }
  }

  /** One page of a list, with the cursor of the next (an offset, opaque to the caller, as Slack's is). */
  private listPage(key: string, items: unknown[], a: Record<string, any>): Record<string, unknown> {
    const start = Number(a.cursor || 0);
    const size = Math.min(Number(a.limit || this.pageSize), this.pageSize);
    const next = start + size < items.length ? String(start + size) : '';
    return { ok: true, [key]: items.slice(start, start + size), response_metadata: { next_cursor: next } };
  }

  /** Socket Mode: apps.connections.open answers this WebSocket URL. */
  socketUrl: string | null = null;

  private shape(m: StoredMessage, withMetadata: unknown) {
    const { metadata, ...rest } = m;
    // Only the bot's own posts carry its bot_id; a person's message (in the sandbox) does not.
    return {
      type: 'message',
      ...(m.user === BOT.userId ? { bot_id: BOT.botId } : {}),
      ...rest,
      ...(withMetadata === true || withMetadata === 'true' ? { metadata } : {}),
    };
  }
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
  res.end(payload);
}

export async function readAll(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

function fileBytes(contentType: string, body: Buffer): Buffer {
  const boundary = /multipart\/form-data;.*boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) return body;
  const delimiter = Buffer.from(`--${boundary}`);
  const start = body.indexOf(delimiter);
  const headersEnd = body.indexOf('\r\n\r\n', start);
  const end = body.indexOf(Buffer.from(`\r\n--${boundary}`), headersEnd);
  if (start < 0 || headersEnd < 0 || end < 0) return body;
  return body.subarray(headersEnd + 4, end);
}

export function parseArgs(contentType: string, body: Buffer): Record<string, any> {
  const text = body.toString('utf8');
  if (contentType.includes('application/json')) return text ? JSON.parse(text) : {};
  const out: Record<string, any> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    out[k] = /^[[{]/.test(v) ? safeJson(v) : v === 'true' ? true : v === 'false' ? false : v;
  }
  return out;
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
