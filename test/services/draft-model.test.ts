import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildComposerModal } from '../../blocks/reply';
import { loadEnv } from '../../src/config/env';
import { cases, type NewCase, outbox, replyDrafts } from '../../src/db/schema';
import { composeReply } from '../../src/domain/reply/compose';
import { createDraftModel, draftModelFromEnv } from '../../src/services/draft-model';
import { PART_MAX, prepareComposer, saveReply, sendReply } from '../../src/services/replies';
import { REPLY } from '../../src/slack/ids';
import { createTestDatabase, type TestDatabase } from '../support/db';
import { testDeps } from '../support/deps';
import { blockById } from '../support/factories';
import { PEOPLE, testConfig } from '../support/harness';

// Optional AI drafting against a local double of an OpenAI-compatible /v1/chat/completions: the
// composer asks for the five parts as structured JSON in the customer's language, grounded in the
// case, its order and the policy; a good answer becomes the starting draft (still promise-checked,
// never sent by itself); no answer in time, a refusal or an answer that is not the five parts
// falls back to the built-in draft, saying why.

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}
let seen: Seen[] = [];
let answer: (res: http.ServerResponse) => void = () => {};
const held: http.ServerResponse[] = [];
const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    seen.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(raw) });
    answer(res);
  });
});
let base = '';

const chat = (content: string) => (res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', model: 'llama3.1', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] }));
};
const parts = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    greeting: 'Hallo Jonas,',
    confirmation: 'Sie schreiben, dass Ihre Rückerstattung für #1042 noch nicht angekommen ist.',
    status: 'Ihre Rücksendung ist bei uns eingegangen und wird geprüft.',
    next: 'Sam veranlasst die Erstattung; sie dauert 5–10 Werktage.',
    needs: null,
    contact: 'Antworten Sie einfach auf diese E-Mail oder schreiben Sie an support@acme.example.',
    signoff: 'Viele Grüße\nSam',
    ...over,
  });

let t: TestDatabase;
const clock = { now: new Date('2027-03-10T09:00:00Z') };
const config = testConfig({ policy: { contact: 'support@acme.example', home_country: 'DE', refunds: { business_days: [5, 10] }, returns: { window_days: 30, return_shipping: 'customer' } } });
let caseId = 0;
let englishCaseId = 0;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  t = await createTestDatabase();
  const at = clock.now;
  const row = (over: Partial<NewCase> & { externalId: string }): NewCase => ({
    kind: 'ticket',
    source: 'email',
    subject: 'Wo bleibt meine Erstattung?',
    body: 'Hallo, ich habe die Bluse vor zwei Wochen zurückgeschickt und noch kein Geld bekommen. <!channel>',
    customerName: 'Jonas Berger',
    customerEmail: 'jonas@example.com',
    orderId: '1042',
    orderCountry: 'DE',
    priority: 'normal',
    tags: ['refund'],
    channelId: 'C0EMAIL01',
    receivedAt: at,
    reportedAt: at,
    ...over,
  });
  const [de] = await t.database.db
    .insert(cases)
    .values(row({ externalId: 'AI-1', judgement: { language: 'de' } as never }))
    .returning({ id: cases.id });
  const [en] = await t.database.db
    .insert(cases)
    .values(row({ externalId: 'AI-2', subject: 'Refund?', body: 'I sent the blouse back two weeks ago and have no money yet.', judgement: { language: 'en' } as never }))
    .returning({ id: cases.id });
  caseId = de!.id;
  englishCaseId = en!.id;
});
afterAll(async () => {
  for (const r of held) r.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  await t?.close();
});
beforeEach(() => {
  seen = [];
});

const depsWith = (timeoutMs = 5_000) => ({ ...testDeps(t.database.db, config, clock), draftModel: createDraftModel({ baseUrl: base, apiKey: 'sk-test-key', model: 'llama3.1', timeoutMs }) });

describe('AI drafting in the composer', () => {
  test('a valid answer becomes the starting draft: asked as structured JSON, in the customer’s language, with the case’s facts; nothing is saved or sent', async () => {
    answer = chat(parts());
    const m = await prepareComposer(depsWith(), { caseId, actor: PEOPLE.agent });
    expect(m.drafting).toEqual({ source: 'model', model: 'llama3.1', failure: null, findings: [] });
    expect(m.draft.language).toBe('de');
    expect(m.draft.parts.confirmation).toBe('Sie schreiben, dass Ihre Rückerstattung für #1042 noch nicht angekommen ist.');
    expect(m.draft.signoff).toBe('Viele Grüße\nSam');

    expect(seen).toHaveLength(1);
    const call = seen[0]!;
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.headers.authorization).toBe('Bearer sk-test-key');
    expect(call.body.model).toBe('llama3.1');
    expect(call.body.response_format.type).toBe('json_schema');
    expect(call.body.response_format.json_schema.strict).toBe(true);
    expect(call.body.response_format.json_schema.schema.required).toEqual(['greeting', 'confirmation', 'status', 'next', 'needs', 'contact', 'signoff']);
    expect(call.body.messages[0].role).toBe('system');
    expect(call.body.messages[0].content).toContain('in German');
    const facts = JSON.parse(call.body.messages[1].content);
    expect(facts).toMatchObject({
      reply_language: 'German',
      reply_type: 'refund',
      customer_first_name: 'Jonas',
      customer_message: 'Hallo, ich habe die Bluse vor zwei Wochen zurückgeschickt und noch kein Geld bekommen. <!channel>',
      order: { name: '#1042', destination_country: 'DE' },
      policy: { refund_business_days: [5, 10], return_window_days: 30, return_shipping_paid_by: 'customer', official_contact: 'support@acme.example' },
    });
    // The built-in draft goes along as the reference for the facts.
    expect(facts.reference_draft.confirmation).toBe(composeReply({ ...m.draft, language: 'de', type: 'refund', customerName: 'Jonas Berger', subject: 'Wo bleibt meine Erstattung?', body: facts.customer_message, order: null, owner: null, policy: config.policy, now: clock.now }).parts.confirmation);
    // Only a person's Save stores it, and only Send sends it.
    expect(await t.database.db.select().from(replyDrafts)).toHaveLength(0);
    expect(await t.database.db.select().from(outbox)).toHaveLength(0);

    const view = buildComposerModal({ caseId, subject: m.c.subject, draft: m.draft, route: null, mustEscalateReason: null, drafting: m.drafting }, PART_MAX);
    expect(blockById(view.blocks, REPLY.block.composerFacts).elements[0].text).toContain(':robot_face: Drafted by llama3.1 from the case, its order and the store’s policy: check every fact before saving.');
  });

  test('not JSON, or JSON that is not the five parts, falls back to the built-in draft and says why', async () => {
    const builtIn = (await prepareComposer(testDeps(t.database.db, config, clock), { caseId, actor: PEOPLE.agent })).draft;
    for (const content of ['Sure! Here is a friendly reply: Hallo Jonas…', parts({ next: undefined }), parts({ status: 'x'.repeat(PART_MAX.status + 1) }), '{"greeting": 42}']) {
      answer = chat(content);
      const m = await prepareComposer(depsWith(), { caseId, actor: PEOPLE.agent });
      expect(m.drafting).toMatchObject({ source: 'rules', model: 'llama3.1', failure: 'invalid' });
      expect(m.draft).toEqual(builtIn);
    }
    answer = (res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"model not loaded"}');
    };
    expect((await prepareComposer(depsWith(), { caseId, actor: PEOPLE.agent })).drafting.failure).toBe('refused');
    const m = await prepareComposer({ ...testDeps(t.database.db, config, clock), draftModel: createDraftModel({ baseUrl: 'http://127.0.0.1:1/v1', model: 'llama3.1', timeoutMs: 2_000 }) }, { caseId, actor: PEOPLE.agent });
    expect(m.drafting.failure).toBe('unreachable');
    const view = buildComposerModal({ caseId, subject: m.c.subject, draft: m.draft, route: null, mustEscalateReason: null, drafting: m.drafting }, PART_MAX);
    expect(blockById(view.blocks, REPLY.block.composerFacts).elements[0].text).toContain(':grey_question: llama3.1 could not draft this (it could not be reached): this is the built-in draft.');
  });

  test('no answer within the timeout: the built-in draft, at once after the timeout', async () => {
    answer = (res) => held.push(res); // never answers
    const m = await prepareComposer(depsWith(300), { caseId, actor: PEOPLE.agent });
    expect(m.drafting).toMatchObject({ source: 'rules', failure: 'timeout' });
    expect(m.draft.parts.confirmation).toBe((await prepareComposer(testDeps(t.database.db, config, clock), { caseId, actor: PEOPLE.agent })).draft.parts.confirmation);
  });

  test('a model draft that promises a refund in 2 days against 5–10 is flagged, and once saved cannot go without a second person', async () => {
    answer = chat(
      JSON.stringify({
        greeting: 'Hi Jonas,',
        confirmation: 'You sent the blouse back two weeks ago and have no money yet.',
        status: 'Your return has arrived.',
        next: 'We will refund you within 2 days.',
        needs: '',
        contact: 'Reply to this e-mail.',
        signoff: 'Best regards,\nSam',
      }),
    );
    const deps = depsWith();
    const m = await prepareComposer(deps, { caseId: englishCaseId, actor: PEOPLE.agent });
    expect(m.drafting.source).toBe('model');
    expect(m.draft.parts.needs).toBeNull();
    expect(m.drafting.findings.map((f) => f.rule)).toEqual(['refund_faster_than_policy']);
    const view = buildComposerModal({ caseId: englishCaseId, subject: m.c.subject, draft: m.draft, route: null, mustEscalateReason: null, drafting: m.drafting }, PART_MAX);
    expect(blockById(view.blocks, REPLY.block.composerFacts).elements[0].text).toContain(':warning: The promise check already flags: Refund faster than the policy.');
    // The agent saves it as it is: the saved draft carries the finding, and Send is refused until someone else approves.
    const saved = await saveReply(deps, { caseId: englishCaseId, actor: PEOPLE.agent, input: { language: m.draft.language, type: m.draft.type, greeting: m.draft.greeting, parts: m.draft.parts, signoff: m.draft.signoff } });
    expect(saved.findings.map((f) => f.rule)).toEqual(['refund_faster_than_policy']);
    const sent = await sendReply(deps, { draftId: saved.id, actor: PEOPLE.agent });
    expect(sent).toMatchObject({ queued: false, refusal: { code: 'needs_second_person' } });
  });

  test('off by default: nothing is asked without DRAFT_MODEL_URL and DRAFT_MODEL, and one without the other is refused at start-up', () => {
    const required = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'signing-secret-0123456789abcdef', INGEST_TOKEN: 'ingest-token-0123456789abcdef' };
    expect(draftModelFromEnv(loadEnv(required))).toBeNull();
    expect(draftModelFromEnv(loadEnv({ ...required, DRAFT_MODEL_URL: 'http://127.0.0.1:11434/v1', DRAFT_MODEL: 'llama3.1' }))?.name).toBe('llama3.1');
    expect(() => loadEnv({ ...required, DRAFT_MODEL_URL: 'http://127.0.0.1:11434/v1' })).toThrow(/DRAFT_MODEL/);
  });
});
