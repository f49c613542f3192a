import type { WebClient } from '@slack/web-api';
import type { WorkspaceConfig } from '../config/workspace';

// The workspace config may name channels (#support), people (an e-mail address or @handle) and
// user groups (@support-team) the way people think of them; Slack's API wants IDs. Names are looked
// up once at start-up and the config is rewritten to IDs in place, so everything that reads it
// (routing, the team check, SLA owners) sees IDs. An ID is kept as written.

export type RefKind = 'channel' | 'user' | 'usergroup' | 'user_or_group';

export interface NameLookup {
  /** Where in the config file, as a dotted path. */
  path: string;
  name: string;
  kind: RefKind;
  /** The ID it resolved to; null when Slack has nothing by that name. */
  id: string | null;
  /** What the ID is (channel, user or user group), for the `config check --slack` listing. */
  is?: 'channel' | 'user' | 'usergroup';
}

/** Slack answered, but a lookup could not be made (a missing scope, say): the operator's to fix. */
export class NameLookupRefused extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly neededScope?: string,
  ) {
    super(`${method} was refused (${code})`);
    this.name = 'NameLookupRefused';
  }
}

export function isName(value: string): boolean {
  return value.startsWith('#') || value.startsWith('@') || value.includes('@');
}

interface Ref {
  path: string;
  kind: RefKind;
  get: () => string;
  set: (id: string) => void;
}

/** Every place in the config that holds a channel, person or user group. */
function references(config: WorkspaceConfig): Ref[] {
  const refs: Ref[] = [];
  const field = <T extends object>(obj: T, key: keyof T & string, path: string, kind: RefKind) => {
    if (typeof obj[key] !== 'string') return;
    refs.push({ path, kind, get: () => obj[key] as string, set: (id) => ((obj as Record<string, unknown>)[key] = id) });
  };
  const list = (arr: string[], path: string, kind: RefKind) =>
    arr.forEach((_, i) => refs.push({ path: `${path}.${i}`, kind, get: () => arr[i]!, set: (id) => (arr[i] = id) }));

  const { sources, ...channels } = config.channels;
  for (const key of Object.keys(channels) as (keyof typeof channels)[]) field(config.channels, key, `channels.${key}`, 'channel');
  for (const key of Object.keys(sources) as (keyof typeof sources)[]) field(sources, key, `channels.sources.${key}`, 'channel');
  list(config.team.members, 'team.members', 'user');
  list(config.team.managers, 'team.managers', 'user');
  list(config.team.usergroups, 'team.usergroups', 'usergroup');
  const owners = (o: { owner?: string; on_duty?: string; manager?: string }, path: string) => {
    field(o, 'owner', `${path}.owner`, 'user_or_group');
    field(o, 'on_duty', `${path}.on_duty`, 'user_or_group');
    field(o, 'manager', `${path}.manager`, 'user');
  };
  owners(config.sla.defaults, 'sla.defaults');
  for (const [channel, policy] of Object.entries(config.sla.policies)) if (policy) owners(policy, `sla.policies.${channel}`);
  return refs;
}

const normalise = (s: string) => s.trim().toLowerCase();

/** Reads Slack's lists lazily: a config with only IDs (or only e-mails) makes no list call. */
class Directory {
  private channels?: Promise<Map<string, string>>;
  private userHandles?: Promise<Map<string, string>>;
  private groupHandles?: Promise<Map<string, string>>;

  constructor(private readonly client: WebClient) {}

  async channel(name: string): Promise<string | null> {
    this.channels ??= this.collect('conversations.list', 'channels', 'channels:read', (c) => [[c.name]], {
      types: 'public_channel,private_channel',
      exclude_archived: true,
    });
    return (await this.channels).get(normalise(name)) ?? null;
  }

  async userByHandle(handle: string): Promise<string | null> {
    // The @handle people type is the display name; older workspaces still know the username.
    this.userHandles ??= this.collect('users.list', 'members', 'users:read', (u) =>
      u.deleted ? [] : [[u.profile?.display_name_normalized], [u.profile?.display_name], [u.name]],
    );
    return (await this.userHandles).get(normalise(handle)) ?? null;
  }

  async groupByHandle(handle: string): Promise<string | null> {
    if (!this.groupHandles) {
      this.groupHandles = (async () => {
        const res = await this.call('usergroups.list', 'usergroups:read', () => this.client.usergroups.list({}));
        const map = new Map<string, string>();
        for (const g of res.usergroups ?? []) if (g.handle && g.id && !g.date_delete) map.set(normalise(g.handle), g.id);
        return map;
      })();
    }
    return (await this.groupHandles).get(normalise(handle)) ?? null;
  }

  async userByEmail(email: string): Promise<string | null> {
    try {
      const res = await this.client.users.lookupByEmail({ email });
      return res.user?.id ?? null;
    } catch (err) {
      if (platformError(err) === 'users_not_found') return null;
      throw refused(err, 'users.lookupByEmail', 'users:read.email');
    }
  }

  private async collect(
    method: 'conversations.list' | 'users.list',
    key: 'channels' | 'members',
    scope: string,
    names: (item: any) => (string | undefined)[][],
    args: Record<string, unknown> = {},
  ): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    await this.call(method, scope, async () => {
      // Slack pages these lists; a big workspace has thousands of channels and people.
      for await (const page of this.client.paginate(method, { limit: 200, ...args })) {
        for (const item of ((page as unknown as Record<string, unknown>)[key] ?? []) as { id?: string }[]) {
          for (const [n] of names(item)) if (n && item.id && !map.has(normalise(n))) map.set(normalise(n), item.id);
        }
      }
    });
    return map;
  }

  private async call<T>(method: string, scope: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw refused(err, method, scope);
    }
  }
}

function platformError(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

/** A refusal becomes NameLookupRefused; anything else (the network) is passed on as it is. */
function refused(err: unknown, method: string, scope: string): unknown {
  const code = platformError(err);
  if (code === undefined) return err;
  return new NameLookupRefused(method, code, code === 'missing_scope' ? scope : undefined);
}

async function lookUp(dir: Directory, kind: RefKind, name: string): Promise<{ id: string | null; is?: NameLookup['is'] }> {
  if (kind === 'channel') return { id: name.startsWith('#') ? await dir.channel(name.slice(1)) : null, is: 'channel' };
  if (!name.startsWith('@')) return { id: await dir.userByEmail(name), is: 'user' };
  const handle = name.slice(1);
  if (kind === 'usergroup') return { id: await dir.groupByHandle(handle), is: 'usergroup' };
  if (kind === 'user') return { id: await dir.userByHandle(handle), is: 'user' };
  // An owner may be a person or a group: a group's handle is chosen to be unique, so it wins.
  const group = await dir.groupByHandle(handle);
  if (group) return { id: group, is: 'usergroup' };
  return { id: await dir.userByHandle(handle), is: 'user' };
}

/**
 * Looks every name in the config up and writes the IDs found into it. Returns one entry per name
 * (IDs are not listed); an entry with id null was not found and the config keeps the name there.
 */
export async function resolveWorkspaceNames(client: WebClient, config: WorkspaceConfig): Promise<NameLookup[]> {
  const dir = new Directory(client);
  const found = new Map<string, { id: string | null; is?: NameLookup['is'] }>();
  const out: NameLookup[] = [];
  for (const ref of references(config)) {
    const name = ref.get();
    if (!isName(name)) continue;
    const key = `${ref.kind}:${normalise(name)}`;
    if (!found.has(key)) found.set(key, await lookUp(dir, ref.kind, name));
    const { id, is } = found.get(key)!;
    if (id) ref.set(id);
    out.push({ path: ref.path, name, kind: ref.kind, id, ...(id && is ? { is } : {}) });
  }
  return out;
}
