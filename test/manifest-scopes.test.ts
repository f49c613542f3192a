import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { expect, test } from 'vitest';

// The bot scopes in manifest.yml are exactly those the code needs: the Web API methods called in
// src/ (the sandbox aside: it is Slack's stand-in, not a client), the events subscribed to and
// the slash command. A method called without its scope fails in production only; a scope asked
// for and never used is a permission a store grants for nothing.

const root = path.resolve(import.meta.dirname, '..');
const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8'));

/** Slack's documented bot scopes per method (api.slack.com/methods); empty: none needed. */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  // Read back to find a post whose answer was lost, in public and private channels and DMs.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.list': ['channels:read', 'groups:read'],
  'conversations.join': ['channels:join'],
  'conversations.open': ['im:write'],
  'users.list': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'usergroups.list': ['usergroups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'views.open': [],
  'views.publish': [],
  'views.update': [],
  'views.push': [],
};
const EVENT_SCOPES: Record<string, string[]> = {
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  reaction_added: ['reactions:read'],
  app_home_opened: [],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'sandbox' ? [] : sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

function methodsCalled(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(path.join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bclient\s*\.\s*((?:[a-z]+\s*\.\s*)+[a-zA-Z]+)\s*\(/g)) found.add(m[1]!.replace(/\s/g, ''));
    for (const m of text.matchAll(/\bpaginate\(\s*'([a-zA-Z.]+)'|method: '([a-z]+\.[a-zA-Z.]+)'|'(conversations\.list|users\.list)'/g)) {
      found.add((m[1] ?? m[2] ?? m[3])!);
    }
  }
  return found;
}

test('manifest.yml asks for exactly the scopes of the methods, events and command Trustloop uses', () => {
  const called = methodsCalled();
  expect(called).toContain('chat.postMessage');
  expect(called).toContain('users.lookupByEmail');
  const unknown = [...called].filter((m) => !(m in METHOD_SCOPES));
  expect(unknown, 'add these methods and their scopes to METHOD_SCOPES').toEqual([]);
  const needed = new Set<string>([...called].flatMap((m) => METHOD_SCOPES[m]!));
  for (const e of manifest.settings.event_subscriptions.bot_events as string[]) for (const s of EVENT_SCOPES[e] ?? [`? ${e}`]) needed.add(s);
  if (manifest.features.slash_commands?.length) needed.add('commands');
  // Posting to a public channel the bot has not joined (one added to the config since start-up).
  needed.add('chat:write.public');
  expect([...(manifest.oauth_config.scopes.bot as string[])].sort()).toEqual([...needed].sort());
});
