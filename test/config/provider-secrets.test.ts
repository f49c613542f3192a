import { describe, expect, test } from 'vitest';
import { EnvError, loadEnv } from '../../src/config/env';
import { providerSecrets } from '../../src/ingest/webhook-config';

const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret', INGEST_TOKEN: '0123456789abcdef' };
const CERT = new URL('../fixtures/paypal/TEST-ONLY-signing-cert.pem', import.meta.url).pathname;

function envError(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected an EnvError');
}

describe('provider secrets', () => {
  test('every provider is off by default', () => {
    expect(providerSecrets(loadEnv(base))).toEqual({});
  });

  test('comma-separated secrets are all accepted while one is rotated', () => {
    const env = loadEnv({ ...base, STRIPE_WEBHOOK_SECRET: 'whsec_new, whsec_old', YOTPO_WEBHOOK_TOKEN: 'y'.repeat(20) });
    expect(providerSecrets(env)).toEqual({ stripe: ['whsec_new', 'whsec_old'], yotpo: ['y'.repeat(20)] });
  });

  test('a wrong kind of secret is named with where to find the right one', () => {
    expect(envError(() => loadEnv({ ...base, STRIPE_WEBHOOK_SECRET: 'sk_live_123' })).message).toMatch(
      /^STRIPE_WEBHOOK_SECRET must be the endpoint signing secret starting with whsec_/,
    );
    expect(envError(() => loadEnv({ ...base, OKENDO_WEBHOOK_SECRET: 'abc' })).variable).toBe('OKENDO_WEBHOOK_SECRET');
    expect(envError(() => loadEnv({ ...base, TRUSTPILOT_WEBHOOK_TOKEN: 'short' })).message).toMatch(/at least 16 characters/);
  });

  test('PayPal needs both the webhook id and a readable certificate', () => {
    expect(envError(() => loadEnv({ ...base, PAYPAL_WEBHOOK_ID: 'WH1' })).variable).toBe('PAYPAL_CERT_FILE');
    expect(envError(() => loadEnv({ ...base, PAYPAL_CERT_FILE: CERT })).variable).toBe('PAYPAL_WEBHOOK_ID');
    const ok = providerSecrets(loadEnv({ ...base, PAYPAL_WEBHOOK_ID: 'WH1', PAYPAL_CERT_FILE: CERT }));
    expect(ok.paypal?.webhookId).toBe('WH1');
    expect(ok.paypal?.certificates).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const missing = envError(() =>
      providerSecrets(loadEnv({ ...base, PAYPAL_WEBHOOK_ID: 'WH1', PAYPAL_CERT_FILE: '/nonexistent/cert.pem' })),
    );
    expect(missing.message).toBe('PAYPAL_CERT_FILE cannot be read (ENOENT): check the path');
    const garbage = envError(() => providerSecrets(loadEnv({ ...base, PAYPAL_WEBHOOK_ID: 'WH1', PAYPAL_CERT_PEM: 'hello' })));
    expect(garbage.message).toMatch(/^PAYPAL_CERT_PEM is not a PEM certificate: no PEM certificate/);
  });
});
