import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';

// The dispute evidence export uploads a file to the card's thread (files.getUploadURLExternal /
// files.completeUploadExternal), which needs the files:write bot scope.

describe('manifest.yml for reviews and disputes', () => {
  test('asks for files:write', () => {
    const manifest = parse(readFileSync(path.resolve(import.meta.dirname, '..', 'manifest.yml'), 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
    };
    expect(manifest.oauth_config.scopes.bot).toContain('files:write');
  });
});
