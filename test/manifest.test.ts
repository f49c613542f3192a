import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { COMMAND } from '../src/slack/ids';

// manifest.yml against Slack's official manifest JSON Schema, which lives in ../shared beside
// a development checkout (not beside a user's clone: then the schema check is skipped, saying so).

const root = path.resolve(import.meta.dirname, '..');
const schemaDir = path.resolve(root, '../shared/slack/manifest-schema');
const manifest = parse(readFileSync(path.join(root, 'manifest.yml'), 'utf8')) as Record<string, any>;
const haveSchema = existsSync(path.join(schemaDir, 'manifest.schema.1.0.0.json'));

describe('manifest.yml', () => {
  test.skipIf(!haveSchema)('is valid against Slack’s manifest schema (skipped when ../shared/slack/manifest-schema is absent)', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const schema = JSON.parse(readFileSync(path.join(schemaDir, 'manifest.schema.1.0.0.json'), 'utf8'));
    const validate = ajv.compile(schema);
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema validator rejects a broken manifest (the check can fail)', () => {
    if (!haveSchema) {
      console.warn('skipping: ../shared/slack/manifest-schema not found beside this checkout');
      return;
    }
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(schemaDir, 'manifest.schema.1.0.0.json'), 'utf8')));
    const broken = structuredClone(manifest);
    broken.oauth_config.scopes.bot.push('not-a-real:scope');
    broken.display_information.name = 'x'.repeat(80);
    expect(validate(broken)).toBe(false);
  });

  test('declares what the app uses: the command, interactivity, events and scopes', () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command)).toContain(COMMAND);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    // The App Home tab is published when opened; #channel arguments arrive as ids.
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.features.slash_commands[0].should_escape).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['message.channels', 'message.groups', 'reaction_added']),
    );
    // channels:join puts the bot in public channels (events come only from channels it is in);
    // usergroups:read resolves the support team's user group; *history finds an earlier post after a crash.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        'chat:write',
        'chat:write.public',
        'commands',
        'reactions:read',
        'usergroups:read',
        'channels:history',
        'channels:join',
        'channels:read',
        'groups:read',
        'im:write',
        'im:history',
        // Names in the workspace config: users.list (users:read), users.lookupByEmail (users:read.email).
        'users:read',
        'users:read.email',
      ]),
    );
  });
});
