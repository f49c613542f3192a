import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPLY } from '../../src/slack/ids';
import { block, CHANNELS, cardOf, type Harness, PEOPLE, startHarness, testConfig, ticket } from '../support/harness';

// Reply with a model configured, over HTTP: the click opens a stand-in at once (Slack's trigger
// lasts three seconds, a model may not), then the composer replaces it with the model's five parts.

let h: Harness;
const calls: any[] = [];
const model = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    calls.push(JSON.parse(raw));
    res.writeHead(200, { 'content-type': 'application/json' });
    const content = JSON.stringify({
      greeting: 'Hi Jonas,',
      confirmation: 'Your linen shirt has not arrived yet and tracking has not moved since Monday.',
      status: 'It is with the carrier.',
      next: 'We are asking the carrier to trace it and will write again by Friday.',
      needs: null,
      contact: 'Reply to this e-mail.',
      signoff: 'Best regards,\nSam',
    });
    res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => model.listen(0, '127.0.0.1', () => r()));
  h = await startHarness({
    config: testConfig({ policy: { contact: 'support@acme.example', refunds: { business_days: [5, 10] } } }),
    env: { DRAFT_MODEL_URL: `http://127.0.0.1:${(model.address() as AddressInfo).port}/v1`, DRAFT_MODEL: 'llama3.1' },
  });
});
afterAll(async () => {
  await h?.stop();
  await new Promise<void>((r) => model.close(() => r()));
});

describe('Reply with a model configured', () => {
  test('a stand-in opens at once, then the composer with the model’s draft replaces it', async () => {
    const res = await h.ingest(ticket({ subject: 'Where is my order?', body: 'My linen shirt has not arrived.', tags: ['shipping_delay'] }));
    await h.settle();
    const card = cardOf(h.slack, res.body.id)!;
    await h.click({ actionId: REPLY.action.open, user: PEOPLE.agent, channel: CHANNELS.email, messageTs: card.ts, value: JSON.stringify({ c: res.body.id }) });
    const update = await h.slack.waitFor(() => h.slack.callsOf('views.update')[0], 10_000, 'composer');
    const opened = h.slack.callsOf('views.open');
    expect(opened).toHaveLength(1);
    expect((opened[0]!.args.view as any).callback_id).toBe(REPLY.view.composerLoading);
    const view = update.args.view as any;
    expect(update.args.view_id).toMatch(/^V/);
    expect(view.callback_id).toBe(REPLY.view.composer);
    expect(block(view.blocks, REPLY.block.confirmation).element.initial_value).toBe('Your linen shirt has not arrived yet and tracking has not moved since Monday.');
    expect(block(view.blocks, REPLY.block.composerFacts).elements[0].text).toContain('Drafted by llama3.1');
    expect(calls).toHaveLength(1);
  });
});
