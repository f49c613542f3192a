import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpError } from '../../src/ingest/http';
import { metricsRoute } from '../../src/ingest/metrics';
import { type Harness, INGEST_TOKEN, startHarness, ticket } from '../support/harness';

// GET /metrics serves Prometheus' text format behind METRICS_TOKEN; the figures follow what the
// app did (requests, ingest, deliveries, 429s, the queue, judgement time, event-loop lag).

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition format 0.0.4: every line is a comment (# HELP/# TYPE) or a sample. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    // Prometheus reads a value as Go's ParseFloat does: NaN and Inf in any case (prom-client writes
    // "Nan" for a gauge with no samples yet, such as the event-loop lag scraped right after a reset).
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([+-]?(?:[0-9.e+-]+|nan|inf))(?: -?\d+)?$/i.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: /nan/i.test(m[3]!) ? NaN : /inf/i.test(m[3]!) ? (m[3]!.startsWith('-') ? -Infinity : Infinity) : Number(m[3]) });
  }
  return { samples, types };
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function scrape() {
    const res = await fetch(`${h.app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await res.text());
  }

  test('needs the token', async () => {
    expect((await fetch(`${h.app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.app.url}/metrics`, { headers: { authorization: `Bearer ${INGEST_TOKEN}` } })).status).toBe(401);
  });

  test('counts what happened, by route pattern, provider, kind and outcome', async () => {
    const before = (await scrape()).samples;
    // Slack rate-limits the first card: the delivery waits, is counted as a 429 and stays queued.
    h.slack.fail('chat.postMessage', { kind: 'ratelimit', retryAfter: 60 });
    const accepted = await h.ingest(ticket());
    expect(accepted.status).toBe(201);
    const refused = await h.api('POST', '/api/v1/tickets', { source: 'email' });
    expect(refused.status).toBe(400);
    const unsigned = await fetch(`${h.app.url}/webhooks/stripe`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(404);
    expect((await h.api('GET', `/api/v1/tickets/${accepted.body.id}`)).status).toBe(200);
    await h.slack.waitFor(() => h.slack.callsOf('chat.postMessage').some((c) => c.fault?.kind === 'ratelimit'), 10_000, 'the 429');

    const { samples, types } = await scrape();
    const grew = (name: string, labels: Record<string, string>) => value(samples, name, labels) - value(before, name, labels);
    expect(grew('trustloop_http_requests_total', { route: '/api/v1/tickets', method: 'POST', status: '201' })).toBe(1);
    expect(grew('trustloop_http_requests_total', { route: '/api/v1/tickets', method: 'POST', status: '400' })).toBe(1);
    // An id never becomes a label: the ticket's route is counted under its pattern.
    expect(grew('trustloop_http_requests_total', { route: '/api/v1/tickets/:id', method: 'GET', status: '200' })).toBe(1);
    expect(samples.some((s) => Object.values(s.labels).includes(`/api/v1/tickets/${accepted.body.id}`))).toBe(false);
    expect(grew('trustloop_ingest_total', { provider: 'api', outcome: 'accepted' })).toBe(1);
    expect(grew('trustloop_ingest_total', { provider: 'api', outcome: 'refused' })).toBe(1);
    expect(grew('trustloop_ingest_total', { provider: 'stripe', outcome: 'refused' })).toBe(1);
    expect(grew('trustloop_slack_rate_limited_total', { kind: 'card_post' })).toBe(1);
    expect(grew('trustloop_slack_deliveries_total', { kind: 'card_post', outcome: 'retry' })).toBe(1);
    expect(value(samples, 'trustloop_outbox_depth', { kind: 'card_post' })).toBe(1);
    expect(value(samples, 'trustloop_outbox_oldest_age_seconds', { kind: 'card_post' })).toBeGreaterThan(0);
    expect(grew('trustloop_judgement_seconds_count', {})).toBe(1);
    expect(types.get('trustloop_sla_reminders_total')).toBe('counter');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(value(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  });
});

test('without METRICS_TOKEN the route does not exist', async () => {
  const err = await metricsRoute(undefined)
    .handler({ req: { headers: {} } } as never)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HttpError);
  expect((err as HttpError).status).toBe(404);
});
