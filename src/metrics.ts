import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

// Operational figures for Prometheus (GET /metrics, off unless METRICS_TOKEN is set). Counters are
// process-wide, as Prometheus expects of one process; each replica is scraped on its own. Labels
// are closed sets (route patterns, providers, outbox kinds, levels), never ids or customer text,
// so the number of series stays small whatever arrives.

export const registry = new Registry();
// Process figures, among them the event-loop lag (nodejs_eventloop_lag_seconds).
collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

export const httpRequests = new Counter({
  name: 'trustloop_http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'trustloop_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route pattern.',
  labelNames: ['route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [registry],
});

export const ingestOutcomes = new Counter({
  name: 'trustloop_ingest_total',
  help: 'Tickets, reviews and disputes offered to Trustloop, by provider (api for the REST API) and outcome (accepted or refused).',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const deliveries = new Counter({
  name: 'trustloop_slack_deliveries_total',
  help: 'Outbox deliveries to Slack, by outbox kind and outcome (delivered, skipped, retry, failed).',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const rateLimited = new Counter({
  name: 'trustloop_slack_rate_limited_total',
  help: 'Slack answers of 429 (rate limited), by outbox kind.',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const slaReminders = new Counter({
  name: 'trustloop_sla_reminders_total',
  help: 'SLA reminders recorded, by level (warning, breach, escalation).',
  labelNames: ['level'] as const,
  registers: [registry],
});

export const judgementSeconds = new Histogram({
  name: 'trustloop_judgement_seconds',
  help: 'Time to judge one message (tags, sentiment, must-escalate checks).',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
  registers: [registry],
});

export interface OutboxDepth {
  kind: string;
  pending: number;
  oldestAgeSeconds: number;
}

/** Where the outbox gauges read from: set by the app once its database is open. */
let outboxProbe: (() => Promise<OutboxDepth[]>) | null = null;

/** Returns the release to call on stop (it leaves a probe set since by another app alone). */
export function setOutboxProbe(probe: () => Promise<OutboxDepth[]>): () => void {
  outboxProbe = probe;
  return () => {
    if (outboxProbe === probe) outboxProbe = null;
  };
}

// Read at scrape time, so the figure is the queue as it is, not as it was at the last change.
let lastDepth: Promise<OutboxDepth[]> | null = null;
function depthOnce(): Promise<OutboxDepth[]> {
  // Both gauges are collected in one scrape: one query answers both.
  lastDepth ??= (outboxProbe?.() ?? Promise.resolve([])).finally(() => setImmediate(() => (lastDepth = null)));
  return lastDepth;
}

new Gauge({
  name: 'trustloop_outbox_depth',
  help: 'Slack deliveries waiting (pending or in flight), by outbox kind.',
  labelNames: ['kind'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const d of await depthOnce()) this.set({ kind: d.kind }, d.pending);
  },
});

new Gauge({
  name: 'trustloop_outbox_oldest_age_seconds',
  help: 'Age of the oldest waiting Slack delivery, by outbox kind.',
  labelNames: ['kind'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const d of await depthOnce()) this.set({ kind: d.kind }, d.oldestAgeSeconds);
  },
});
