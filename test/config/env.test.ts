import '../support/suite';
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EnvError, loadDotEnv, loadEnv } from '../../src/config/env';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', INGEST_TOKEN: '0123456789abcdef' };

function failure(env: Record<string, string>): EnvError {
  try {
    loadEnv(env);
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected an EnvError');
}

describe('environment', () => {
  test('a secret written as shell syntax or left as a placeholder is refused, with the fix', () => {
    // A .env file is not run by a shell: this would be the README's literal text, not a token.
    expect(failure({ ...base, INGEST_TOKEN: '$(openssl rand -hex 32)' }).message).toBe(
      'INGEST_TOKEN looks like shell syntax ($(…), ${…} or backticks), but a .env file is not run by a shell: generate one (run `openssl rand -hex 32`) and paste the output',
    );
    expect(failure({ ...base, INGEST_TOKEN: '`openssl rand -hex 32`' }).variable).toBe('INGEST_TOKEN');
    expect(failure({ ...base, INGEST_TOKEN: '<your-ingest-token-here>' }).message).toMatch(/^INGEST_TOKEN is a placeholder/);
    expect(failure({ ...base, SLACK_BOT_TOKEN: 'xoxb-...' }).message).toBe(
      'SLACK_BOT_TOKEN is a placeholder from the documentation, not a real value: copy the real value from your Slack app (api.slack.com/apps)',
    );
    expect(failure({ ...base, CSAT_LINK_SECRET: '${CSAT_SECRET}' }).variable).toBe('CSAT_LINK_SECRET');
    expect(loadEnv({ ...base, INGEST_TOKEN: '9f86d081884c7d659a2feaa0c55ad015' }).INGEST_TOKEN).toBe('9f86d081884c7d659a2feaa0c55ad015');
  });

  test('the .env file can be named, or switched off so a developer’s own .env never reaches the tests', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-env-'));
    const file = path.join(dir, 'custom.env');
    writeFileSync(file, 'TL_TEST_FROM_FILE=yes\n');
    delete process.env.TL_TEST_FROM_FILE;
    loadDotEnv('');
    expect(process.env.TL_TEST_FROM_FILE).toBeUndefined();
    loadDotEnv(file);
    expect(process.env.TL_TEST_FROM_FILE).toBe('yes');
    delete process.env.TL_TEST_FROM_FILE;
    // The suite runs with TRUSTLOOP_ENV_FILE set empty (test/support/suite.ts): the default reads nothing.
    expect(process.env.TRUSTLOOP_ENV_FILE).toBe('');
  });

  test('defaults', () => {
    const env = loadEnv(base);
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TRUSTLOOP_DATA_DIR).toBe('./data');
    expect(env.TRUSTLOOP_CONFIG).toBe('./trustloop.yml');
    expect(env.SLACK_CHANNEL_INTERVAL_MS).toBe(1000);
  });

  test('a missing bot token is named with how to get one', () => {
    const e = failure({ SLACK_SIGNING_SECRET: 's', INGEST_TOKEN: '0123456789abcdef' });
    expect(e.variable).toBe('SLACK_BOT_TOKEN');
    expect(e.message).toMatch(/^SLACK_BOT_TOKEN is not set: .*Bot User OAuth Token/);
  });

  test('wrong token kinds, short ingest tokens, bad URLs and ports are named', () => {
    expect(failure({ ...base, SLACK_BOT_TOKEN: 'xapp-1' }).variable).toBe('SLACK_BOT_TOKEN');
    expect(failure({ ...base, INGEST_TOKEN: 'short' }).message).toMatch(/INGEST_TOKEN must be at least 16/);
    expect(failure({ ...base, DATABASE_URL: 'mysql://x' }).message).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(failure({ ...base, PORT: 'eighty' }).variable).toBe('PORT');
    expect(failure({ ...base, SLACK_APP_TOKEN: 'xoxb-2' }).variable).toBe('SLACK_APP_TOKEN');
  });

  test('HTTP mode needs the signing secret; Socket Mode does not', () => {
    const e = failure({ SLACK_BOT_TOKEN: 'xoxb-1', INGEST_TOKEN: '0123456789abcdef' });
    expect(e.variable).toBe('SLACK_SIGNING_SECRET');
    expect(e.message).toMatch(/SLACK_APP_TOKEN to use Socket Mode/);
    const env = loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A', INGEST_TOKEN: '0123456789abcdef' });
    expect(env.SLACK_APP_TOKEN).toBe('xapp-1-A');
  });

  test('empty strings count as unset', () => {
    const env = loadEnv({ ...base, DATABASE_URL: '', SLACK_API_URL: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SLACK_API_URL).toBeUndefined();
  });

  test('e-mail: an smtp:// URL and a From address, or neither', () => {
    expect(failure({ ...base, SMTP_URL: 'smtp://u:p@smtp.example.com:587' }).variable).toBe('SMTP_FROM');
    expect(failure({ ...base, SMTP_URL: 'https://smtp.example.com', SMTP_FROM: 'a@b.c' }).message).toMatch(/^SMTP_URL must be an smtp:\/\//);
    const env = loadEnv({ ...base, SMTP_URL: 'smtps://u:p@smtp.example.com:465', SMTP_FROM: 'Acme <support@acme.example>' });
    expect([env.SMTP_URL, env.SMTP_FROM]).toEqual(['smtps://u:p@smtp.example.com:465', 'Acme <support@acme.example>']);
    expect(loadEnv(base).SMTP_URL).toBeUndefined();
  });
});
