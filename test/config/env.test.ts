import { describe, expect, test } from 'vitest';
import { EnvError, loadEnv } from '../../src/config/env';

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
});
