import './support/suite';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { loadEnv } from '../src/config/env';
import { createLogger, type LogFormat, logFormat } from '../src/logger';
import { childEnv } from './support/child';

// Logs: JSON with an ISO time and the level's name in production, readable lines in development,
// and no secret at any level, whether logged as a field, inside a request's headers, in an
// error's message or in the message itself.

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-botSecretValue',
  SLACK_SIGNING_SECRET: 'signingSecretValue0123456789',
  SLACK_APP_TOKEN: 'xapp-1-A0-appSecretValue',
  INGEST_TOKEN: 'ingestTokenValue0123456789abcdef',
  CSAT_LINK_SECRET: 'csatSecretValue0123456789abcdef',
  METRICS_TOKEN: 'metricsTokenValue0123456789abcd',
  STRIPE_WEBHOOK_SECRET: 'whsec_stripeSecretValue',
  ZENDESK_API_TOKEN: 'zendeskApiTokenValue',
};
const DB_PASSWORD = 'dbPassw0rdValue';
const SMTP_PASSWORD = 'smtpPassw0rdValue';

describe('logger', () => {
  test('production lines are JSON with an ISO time and the level by name', () => {
    const out = sink();
    const logger = createLogger('info', { format: 'json', destination: out.stream });
    logger.info({ caseId: 1042 }, 'card posted');
    logger.warn('slow');
    const lines = out
      .text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ level: 'info', caseId: 1042, msg: 'card posted', app: 'trustloop' });
    expect(lines[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'slow' });
  });

  test('development lines are readable, not JSON', () => {
    const out = sink();
    const logger = createLogger('info', { format: 'pretty', destination: out.stream });
    logger.info({ caseId: 1042 }, 'card posted');
    const text = out.text();
    expect(text).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO: card posted\n\s+caseId: 1042\n$/);
  });

  test('the format: JSON in production and off a terminal, readable on a developer terminal, or as asked', () => {
    const cases: [Parameters<typeof logFormat>[0], boolean, LogFormat][] = [
      [{ NODE_ENV: 'production' }, true, 'json'],
      [{}, true, 'pretty'],
      [{}, false, 'json'],
      [{ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }, false, 'pretty'],
      [{ LOG_FORMAT: 'json' }, true, 'json'],
    ];
    for (const [env, tty, expected] of cases) expect(logFormat(env, tty)).toBe(expected);
  });

  test('no secret reaches the log at any level: a logged config, request headers, an error, the message', () => {
    const env = loadEnv({
      ...SECRETS,
      DATABASE_URL: `postgres://trustloop:${DB_PASSWORD}@db.internal:5432/trustloop`,
      SMTP_URL: `smtp://shop%40example.com:${SMTP_PASSWORD}@smtp.example.com:587`,
      SMTP_FROM: 'Linen & Loom <support@linenloom.example>',
      PORT: '3456',
    });
    for (const format of ['json', 'pretty'] as const) {
      const out = sink();
      const logger = createLogger('trace', { format, destination: out.stream });
      for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
        logger[level]({ env }, 'settings loaded');
        logger[level]({ config: { slack: { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET } } }, 'slack client');
        logger[level](
          {
            req: {
              method: 'POST',
              url: '/api/v1/tickets',
              headers: { authorization: `Bearer ${env.INGEST_TOKEN}`, 'x-slack-signature': `v0=${SECRETS.SLACK_SIGNING_SECRET}`, cookie: 'sid=1' },
            },
          },
          'request',
        );
        logger[level]({ err: Object.assign(new Error(`could not connect to ${env.DATABASE_URL}`), { url: env.SMTP_URL, token: SECRETS.ZENDESK_API_TOKEN }) }, 'database');
        logger[level](`sending through ${env.SMTP_URL} with ${SECRETS.SLACK_APP_TOKEN} and %s`, SECRETS.STRIPE_WEBHOOK_SECRET);
      }
      const text = out.text();
      // What is not secret is still there (so the check below is over real output).
      expect(text).toContain('3456');
      expect(text).toContain('/api/v1/tickets');
      expect(text).toContain('db.internal');
      for (const secret of [...Object.values(SECRETS), DB_PASSWORD, SMTP_PASSWORD]) expect(text, `${format}: ${secret}`).not.toContain(secret);
    }
  });

  test('a production install without pino-pretty still logs, as JSON', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-log-'));
    // What `npm prune --omit=dev` leaves: pino-pretty cannot be found.
    const block = path.join(dir, 'no-pino-pretty.mjs');
    writeFileSync(
      block,
      `import Module from 'node:module';
       const resolve = Module._resolveFilename;
       Module._resolveFilename = function (request, ...rest) {
         if (request === 'pino-pretty') throw Object.assign(new Error("Cannot find module 'pino-pretty'"), { code: 'MODULE_NOT_FOUND' });
         return resolve.call(this, request, ...rest);
       };`,
    );
    const root = path.resolve(import.meta.dirname, '..');
    const script = `import { createLogger } from './src/logger.ts'; createLogger('info', { format: 'pretty' }).info({ caseId: 7 }, 'still here');`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', block, '--input-type=module', '-e', script], {
      cwd: root,
      env: childEnv({ NODE_ENV: 'production' }),
    });
    expect(JSON.parse(stdout)).toMatchObject({ level: 'info', msg: 'still here', caseId: 7 });
  });
});
