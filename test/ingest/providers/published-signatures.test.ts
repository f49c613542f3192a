import { webcrypto } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { gorgias, helpscout, mailgun, postmark, shopify, SignatureError, stripe, zendesk } from '../../../src/ingest/providers';
import { fixture, thrown } from './fixtures';

// Each provider's signature scheme checked against its own documentation: the published worked
// example where the documentation gives one (secret, message and signature), otherwise a
// signature built exactly as the documentation describes by an implementation other than the
// adapter's (Stripe's own library, or the Web Crypto API rather than node:crypto's createHmac).

/** HMAC through Web Crypto: a second implementation beside the adapters' createHmac. */
async function webHmac(hash: 'SHA-1' | 'SHA-256', key: string, data: Buffer | string): Promise<Buffer> {
  const k = await webcrypto.subtle.importKey('raw', Buffer.from(key, 'utf8'), { name: 'HMAC', hash }, false, ['sign']);
  return Buffer.from(await webcrypto.subtle.sign('HMAC', k, typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
}

const refused = (fn: () => void) => {
  const err = thrown(fn);
  expect(err).toBeInstanceOf(SignatureError);
  return (err as SignatureError).reason;
};

describe('Stripe: Stripe-Signature t=…,v1=… (https://docs.stripe.com/webhooks#verify-manually)', () => {
  const secret = 'whsec_docs_0f4c8e2a6b1d3f5a7c9e0b2d4f6a8c0e';
  const body = fixture('providers/stripe-dispute-created.json');
  const now = new Date('2026-03-15T10:00:00Z');
  const t = Math.floor(now.getTime() / 1000) - 30;

  it("accepts a header made by Stripe's own library (stripe.webhooks.generateTestHeaderString)", () => {
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret, timestamp: t });
    expect(() => stripe.verify({ 'stripe-signature': header }, body, secret, now)).not.toThrow();
  });

  it('accepts the signature the page describes: hex HMAC-SHA256 of `${t}.${payload}`, among several v1 and a v0', async () => {
    const v1 = (await webHmac('SHA-256', secret, `${t}.${body.toString('utf8')}`)).toString('hex');
    const header = `t=${t},v1=${'0'.repeat(64)},v1=${v1},v0=${'f'.repeat(64)}`;
    expect(() => stripe.verify({ 'stripe-signature': header }, body, secret, now)).not.toThrow();
    // Only v1 is a live scheme: a header carrying the right digest as v0 alone is refused.
    expect(refused(() => stripe.verify({ 'stripe-signature': `t=${t},v0=${v1}` }, body, secret, now))).toBe('malformed_header');
    // The timestamp is signed: moved by one second, the signature no longer matches.
    expect(refused(() => stripe.verify({ 'stripe-signature': `t=${t + 1},v1=${v1}` }, body, secret, now))).toBe('mismatch');
  });
});

describe('Shopify: X-Shopify-Hmac-Sha256 (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook)', () => {
  // Shopify publishes the scheme (base64 of HMAC-SHA256 over the raw body with the app's client secret), not a worked value.
  const secret = 'shpss_docs_8f2e4a6c0b1d3e5f7a9c';
  const body = fixture('providers/shopify-order-create.json');
  const headers = (hmac: string) => ({ 'x-shopify-hmac-sha256': hmac, 'x-shopify-topic': 'orders/create' });

  it('accepts base64(HMAC-SHA256(raw body, client secret)) and refuses the same digest over one changed byte', async () => {
    const hmac = (await webHmac('SHA-256', secret, body)).toString('base64');
    expect(() => shopify.verify(headers(hmac), body, secret, new Date())).not.toThrow();
    const changed = Buffer.from(body);
    changed[changed.length - 2] = changed[changed.length - 2]! ^ 1;
    expect(refused(() => shopify.verify(headers(hmac), changed, secret, new Date()))).toBe('mismatch');
  });
});

describe('Zendesk: X-Zendesk-Webhook-Signature (https://developer.zendesk.com/documentation/event-connectors/webhooks/verifying/)', () => {
  it('accepts the worked example published on the page: its secret, body, timestamp and signature', () => {
    const headers = {
      'x-zendesk-webhook-signature': 'tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=',
      'x-zendesk-webhook-signature-timestamp': '2021-07-25T10:00:00Z',
    };
    const body = Buffer.from('{"say": "hello"}');
    expect(() => zendesk.verify(headers, body, 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=', new Date())).not.toThrow();
    // The same example with another body, or another secret, is refused.
    expect(
      refused(() => zendesk.verify(headers, Buffer.from('{"say": "hallo"}'), 'HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA=', new Date())),
    ).toBe('mismatch');
    expect(refused(() => zendesk.verify(headers, body, 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==', new Date()))).toBe('mismatch');
  });

  it("accepts base64(HMAC-SHA256(timestamp + body)) under the secret Zendesk signs test deliveries with, as the page's Node example does", async () => {
    // "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==" is the signing secret the page gives for a webhook tested before it is created.
    const secret = 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==';
    const body = fixture('helpdesks/zendesk-ticket-created.json');
    const timestamp = '2027-03-10T09:00:00Z';
    const signature = (await webHmac('SHA-256', secret, Buffer.concat([Buffer.from(timestamp), body]))).toString('base64');
    const headers = { 'x-zendesk-webhook-signature': signature, 'x-zendesk-webhook-signature-timestamp': timestamp };
    expect(() => zendesk.verify(headers, body, secret, new Date())).not.toThrow();
    expect(
      refused(() =>
        zendesk.verify({ ...headers, 'x-zendesk-webhook-signature-timestamp': '2027-03-10T09:00:01Z' }, body, secret, new Date()),
      ),
    ).toBe('mismatch');
  });
});

describe('Help Scout: X-HelpScout-Signature (https://developer.helpscout.com/webhooks/)', () => {
  it("accepts base64(HMAC-SHA1(body, secret key)) with the page's PHP example key, and refuses an SHA-256 digest", async () => {
    // The page's example: base64_encode(hash_hmac('sha1', $data, 'my-secret-key', true)); it publishes no output value.
    const secret = 'my-secret-key';
    const body = fixture('helpdesks/helpscout-convo-created.json');
    const sha1 = (await webHmac('SHA-1', secret, body)).toString('base64');
    expect(() => helpscout.verify({ 'x-helpscout-signature': sha1 }, body, secret, new Date())).not.toThrow();
    const sha256 = (await webHmac('SHA-256', secret, body)).toString('base64');
    expect(refused(() => helpscout.verify({ 'x-helpscout-signature': sha256 }, body, secret, new Date()))).toBe('mismatch');
  });
});

describe('Mailgun: timestamp, token and signature fields (https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks)', () => {
  // The page's example token and timestamp; its signature ("…baed12345") is a placeholder and no key is published,
  // so the signature is made as the page says: hex HMAC-SHA256 of timestamp + token, no separator, under the signing key.
  const token = 'e0b5477167110d68991efc6b9f89f0a11066af27834600e123';
  const timestamp = '1770920772';
  const key = 'key-docs-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
  const form = (signature: string) =>
    Buffer.from(JSON.stringify({ timestamp, token, signature, sender: 'maya@example.com', subject: 'Hi' }));

  it('accepts the signature built as the page describes; the placeholder from the page is refused', async () => {
    const signature = (await webHmac('SHA-256', key, timestamp + token)).toString('hex');
    expect(() => mailgun.verify({}, form(signature), key, new Date())).not.toThrow();
    expect(
      refused(() => mailgun.verify({}, form('12d99f5a15355c180971bed7494d578b093c958f57766f3fe750761baed12345'), key, new Date())),
    ).toBe('mismatch');
    // With a separator between timestamp and token (a common mistake), it is another digest.
    const dotted = (await webHmac('SHA-256', key, `${timestamp}.${token}`)).toString('hex');
    expect(refused(() => mailgun.verify({}, form(dotted), key, new Date()))).toBe('mismatch');
  });
});

describe('Postmark and Gorgias: HTTP Basic auth on the webhook URL', () => {
  // Postmark: https://postmarkapp.com/developer/webhooks/inbound-webhook (Basic HTTP authentication in the URL).
  // The credentials travel as RFC 7617 says; its worked example (https://www.rfc-editor.org/rfc/rfc7617#section-2):
  // user-id "Aladdin", password "open sesame" → "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".
  const rfcExample = { authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' };

  it("accepts RFC 7617's published example as Postmark's and Gorgias's token, and refuses another password", () => {
    const body = fixture('email/postmark-inbound-first.json');
    expect(() => postmark.verify(rfcExample, body, 'open sesame', new Date())).not.toThrow();
    expect(() => gorgias.verify(rfcExample, body, 'open sesame', new Date())).not.toThrow();
    expect(refused(() => postmark.verify(rfcExample, body, 'open sesame!', new Date()))).toBe('mismatch');
    expect(refused(() => postmark.verify({}, body, 'open sesame', new Date()))).toBe('missing_header');
  });

  it('Gorgias also takes the token in the URL (?token=…), as its HTTP integration cannot add headers of its own', () => {
    const body = fixture('helpdesks/gorgias-ticket-message-created.json');
    const token = 'gorgias-docs-token-5d7f9b1c3e';
    expect(() => gorgias.verify({}, body, token, new Date(), `https://trustloop.example/webhooks/gorgias?token=${token}`)).not.toThrow();
    expect(refused(() => gorgias.verify({}, body, token, new Date(), 'https://trustloop.example/webhooks/gorgias?token=wrong'))).toBe(
      'mismatch',
    );
  });
});
