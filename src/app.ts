import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { renderDigest } from '../blocks/digest';
import type { Env } from './config/env';
import type { WorkspaceConfig } from './config/workspace';
import { type Database, describeDatabaseError, isReady, migrate, openDatabase } from './db/client';
import { countFailedSince, outboxDepth } from './db/queries/outbox';
import { maintenanceJob } from './jobs/maintenance';
import { slaSweepJob } from './jobs/sla-sweep';
import { type Job, Scheduler } from './jobs/scheduler';
import { createHttpServer, type Route } from './ingest/http';
import { buildOpenApi } from './ingest/openapi';
import { csatRoutes } from './ingest/csat';
import { customerLinkRoutes } from './ingest/customer-links';
import { customerRoutes } from './ingest/customers';
import { expiringLinkToken, linkToken } from './domain/customer-link';
import { ugcDeliveryHandlers } from './slack/deliveries-ugc';
import { draftModelFromEnv } from './services/draft-model';
import { judgemeRequestSender } from './services/send/providers';
import { createMailer, smtpSettings } from './services/send/email';
import { reviewRequestDeliveryHandlers } from './slack/deliveries-review-requests';
import { ticketRoutes } from './ingest/tickets';
import { providerSecrets } from './ingest/webhook-config';
import { webhookRoutes } from './ingest/webhooks';
import { digestJob } from './jobs/digest';
import { disputeDeadlineJob } from './jobs/dispute-deadlines';
import { retentionJob } from './jobs/retention';
import { reviewRequestJob } from './jobs/review-requests';
import { reviewClusterJob } from './jobs/reviews';
import { reviewDeliveryHandlers } from './slack/deliveries-reviews';
import { createLogger, type Logger, logFormat, slackLogger } from './logger';
import type { Deps } from './services/deps';
import { loadJudgement } from './services/judgement-model';
import { JudgementThread } from './services/judgement-thread';
import { createSlackApp } from './slack/app';
import type { BotIdentity } from './slack/web';
import { judgeTicket } from './services/tickets';
import { JudgeAfterIngest } from './jobs/judge-after-ingest';
import { caseDeliveryHandlers } from './slack/deliveries';
import { replyDeliveryHandlers } from './slack/deliveries-replies';
import { type Senders, sendersFromEnv } from './services/send';
import { type StripeApiOptions, stripeChargeLookup } from './services/charge-lookup';
import { chargeLookupDeliveryHandlers } from './slack/deliveries-charges';
import { digestDeliveryHandlers } from './slack/deliveries-digest';
import { Dispatcher } from './slack/dispatcher';
import { slaDeliveryHandlers } from './slack/sla-deliveries';
import { TeamDirectory } from './slack/team';
import { metricsRoute } from './ingest/metrics';
import { setOutboxProbe } from './metrics';
import { NameLookupRefused, resolveWorkspaceNames } from './slack/names';
import { createDeliveryClient, createLookupClient, DEFAULT_SLACK_API_URL } from './slack/web';

export const VERSION = '0.1.0';

/** Scheduled jobs; each run holds a Postgres advisory lock, so one replica runs it. */
const jobs: Job[] = [maintenanceJob];

/** A start-up problem the operator must fix; main prints it as one line and exits non-zero. */
export class StartupError extends Error {
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting} ${detail}`);
    this.name = 'StartupError';
  }
}

export interface StartOptions {
  env: Env;
  config: WorkspaceConfig;
  logger?: Logger;
  clock?: () => Date;
  /** An open database (tests); otherwise opened from DATABASE_URL or the embedded data folder. */
  database?: Database;
  dispatcher?: { leaseMs?: number; pollMs?: number; concurrency?: number };
  /** Where replies go (tests hand in senders pointed at local doubles); default: from the settings. */
  senders?: Senders;
  /** Where Stripe's API answers (tests point it at a local double); default: api.stripe.com. */
  stripeApi?: StripeApiOptions;
  /** Run the scheduled jobs on their cron schedules (default true); tests step them with scheduler.runNow. */
  scheduleJobs?: boolean;
  /** The address to listen on (default: every interface); the sandbox keeps to 127.0.0.1. */
  host?: string;
}

export interface Trustloop {
  url: string;
  port: number;
  deps: Deps;
  database: Database;
  dispatcher: Dispatcher;
  scheduler: Scheduler;
  identity: BotIdentity;
  /** Requests being answered right now. */
  inFlight(): number;
  /** Slack listeners still working after their ack. */
  listenersWorking(): number;
  stop(): Promise<void>;
}

/**
 * Slack could not be asked (network, DNS, a 5xx, a timeout): not the operator's mistake. Trustloop
 * starts anyway, stores what arrives and delivers once Slack answers.
 */
export class SlackUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackUnreachable';
  }
}

/** Slack answered the call itself (ok: false with an error code), as opposed to not answering. */
function slackAnswered(err: unknown): string | undefined {
  return (err as { code?: string; data?: { error?: string } }).code === 'slack_webapi_platform_error'
    ? (err as { data?: { error?: string } }).data?.error
    : undefined;
}

/** Checks the bot token with auth.test; the answer names the bot (to ignore its own messages) and the workspace URL. */
export async function verifyBotToken(env: Env, logger: Logger): Promise<BotIdentity> {
  const client = createLookupClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL, logger, 'auth');
  try {
    const res = await client.auth.test();
    return { botId: res.bot_id ?? '', botUserId: res.user_id ?? '', teamId: res.team_id ?? '', url: res.url ?? '' };
  } catch (err) {
    const code = slackAnswered(err);
    if (code)
      throw new StartupError(
        'SLACK_BOT_TOKEN',
        `was refused by Slack (${code}): copy the Bot User OAuth Token again from the app's OAuth & Permissions page`,
      );
    throw new SlackUnreachable(`Slack could not be reached at ${env.SLACK_API_URL ?? DEFAULT_SLACK_API_URL} (${(err as Error).message})`);
  }
}

/**
 * Rewrites the names in the workspace config (#support, ana@store.example, @support-team) to IDs,
 * in place. A name Slack does not know stops start-up, naming each one with where it is written.
 */
export async function resolveConfigNames(env: Env, config: WorkspaceConfig, logger: Logger) {
  const client = createLookupClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL, logger, 'names');
  let lookups;
  try {
    lookups = await resolveWorkspaceNames(client, config);
  } catch (err) {
    if (!(err instanceof NameLookupRefused)) {
      throw new SlackUnreachable(`Slack could not be reached to look up names (${(err as Error).message})`);
    }
    if (err.neededScope) {
      throw new StartupError(
        'SLACK_BOT_TOKEN',
        `lacks the ${err.neededScope} scope, needed to look up the names in TRUSTLOOP_CONFIG: reinstall the app from manifest.yml (OAuth & Permissions → Reinstall), or write IDs instead of names`,
      );
    }
    throw new StartupError('TRUSTLOOP_CONFIG', `names could not be looked up: Slack refused ${err.method} (${err.code})`);
  }
  const missing = lookups.filter((l) => !l.id);
  if (missing.length > 0) {
    throw new StartupError(
      'TRUSTLOOP_CONFIG',
      `names ${missing.map((m) => `${m.name} (${m.path})`).join(', ')}, which Slack cannot find: check the spelling ` +
        '(a channel by its name, a person by e-mail or display name, a user group by its handle); a private channel needs /invite @Trustloop first',
    );
  }
  if (lookups.length > 0) logger.info({ names: lookups.length }, 'names in the workspace config looked up');
  return lookups;
}

/**
 * Makes sure the bot is in every configured channel. Slack sends reaction and thread-reply events
 * only for channels the bot is a member of, and reading a channel's history (to find a post whose
 * answer was lost) needs membership too. Public channels are joined; private ones need an invite.
 */
export async function ensureChannelMembership(client: WebClient, channels: string[], logger: Logger): Promise<void> {
  for (const channel of channels) {
    try {
      await client.conversations.join({ channel });
      continue;
    } catch (err) {
      const code = slackAnswered(err);
      if (code === undefined) throw new SlackUnreachable(`Slack could not be reached (${(err as Error).message})`);
      if (code === 'channel_not_found') {
        throw new StartupError(
          'TRUSTLOOP_CONFIG',
          `names channel ${channel}, which Slack cannot find: check the ID, or invite @Trustloop if it is a private channel`,
        );
      }
      if (code === 'is_archived')
        throw new StartupError('TRUSTLOOP_CONFIG', `names channel ${channel}, which is archived: pick another channel`);
      if (code === 'missing_scope') {
        throw new StartupError(
          'SLACK_BOT_TOKEN',
          'lacks the channels:join scope: reinstall the app from manifest.yml (OAuth & Permissions → Reinstall)',
        );
      }
      if (code !== 'method_not_supported_for_channel_type') throw err;
    }
    // A private channel: the bot cannot join it, someone must invite it.
    const info = await client.conversations.info({ channel }).catch((err: unknown) => {
      const code = slackAnswered(err);
      if (code === undefined) throw new SlackUnreachable(`Slack could not be reached (${(err as Error).message})`);
      throw new StartupError(
        'TRUSTLOOP_CONFIG',
        `names channel ${channel}, which the bot cannot see (${code}): run /invite @Trustloop in that channel`,
      );
    });
    if (!info.channel?.is_member) {
      throw new StartupError(
        'TRUSTLOOP_CONFIG',
        `names private channel ${channel}, which the bot is not in: run /invite @Trustloop in that channel`,
      );
    }
  }
  logger.info({ channels: channels.length }, 'bot is a member of every configured channel');
}

/** Every channel the workspace config posts to. */
export function configuredChannels(config: WorkspaceConfig): string[] {
  const { reviews, disputes, ugc, supply_chain, digest } = config.channels;
  // The reviews, disputes, UGC, supply-chain and digest channels are optional: only those set count.
  const optional = [reviews, disputes, ugc, supply_chain, digest].filter((c): c is string => Boolean(c));
  return [...new Set([config.channels.default, config.channels.escalation, ...Object.values(config.channels.sources), ...optional])];
}

export async function startTrustloop(opts: StartOptions): Promise<Trustloop> {
  const { env, config } = opts;
  const logger = opts.logger ?? createLogger(env.LOG_LEVEL, { format: logFormat(env) });
  const clock = opts.clock ?? (() => new Date());
  // Provider secrets are checked before anything is opened: a bad PayPal certificate stops start-up.
  const secrets = providerSecrets(env);

  const database = opts.database ?? (await openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.TRUSTLOOP_DATA_DIR, 'pglite') }));
  const ownsDatabase = !opts.database;
  try {
    await migrate(database);
  } catch (err) {
    if (ownsDatabase) await database.close();
    if (env.DATABASE_URL) throw new StartupError('DATABASE_URL', describeDatabaseError(err, env.DATABASE_URL));
    throw new StartupError('TRUSTLOOP_DATA_DIR', `could not be prepared: ${(err as Error).message}`);
  }

  const client = createDeliveryClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL, logger);
  // Filled in once Slack answers; everything that needs it reads it when it runs.
  const identity: BotIdentity = { botId: '', botUserId: '', teamId: '', url: '' };
  const link = { state: 'connecting' as 'connecting' | 'connected', detail: 'waiting for Slack' };
  const connect = async () => {
    Object.assign(identity, await verifyBotToken(env, logger));
    await resolveConfigNames(env, config, logger);
    await ensureChannelMembership(client, configuredChannels(config), logger);
  };
  try {
    await connect();
    link.state = 'connected';
  } catch (err) {
    // A wrong token or a wrong channel is the operator's to fix: stop and say so. Slack being
    // unreachable is not: start, take in tickets and webhooks, and deliver once it answers.
    if (!(err instanceof SlackUnreachable)) {
      if (ownsDatabase) await database.close();
      throw err;
    }
    link.detail = `${err.message}; cases are stored and will be posted once Slack answers`;
    logger.warn({ err: err.message }, 'Slack is unreachable at start-up: accepting cases, delivering once it answers');
  }

  // Signed links customers answer through (usage rights); off without PUBLIC_URL and CUSTOMER_LINK_SECRET.
  const linkBase = env.PUBLIC_URL?.replace(/\/+$/, '');
  const linkKeys = env.CUSTOMER_LINK_SECRET;
  const customerLinks =
    linkBase && linkKeys
      ? { ugcAnswer: (id: number, answer: 'grant' | 'decline', expiresAt: Date) => `${linkBase}/ugc/${expiringLinkToken(linkKeys, 'ugc_consent', id, expiresAt)}/${answer}` }
      : null;
  // Optional AI drafting (off unless DRAFT_MODEL_URL and DRAFT_MODEL are set).
  const draftModel = draftModelFromEnv(env);
  if (draftModel) logger.info({ model: draftModel.name }, 'reply drafts are asked of the configured model first');
  // The store's one SMTP transport: replies, review requests and usage-rights requests all send
  // through it. Unset: replies offer copy-ready text and requests stay queued, not lost.
  const smtp = smtpSettings(env);
  const mailer = smtp ? createMailer(smtp) : null;
  let dispatcher: Dispatcher | undefined;
  const team = new TeamDirectory(config.team, client, logger);
  const judgement = loadJudgement(env.TRUSTLOOP_DATA_DIR);
  logger.info({ model: judgement.source, features: judgement.model.featureCount }, 'judgement model loaded');
  const deps: Deps = {
    db: database.db,
    config,
    clock,
    logger,
    team,
    judgement,
    renderDigest,
    notify: () => dispatcher?.wake(),
    senders: opts.senders ?? sendersFromEnv(env, mailer),
    ...(customerLinks ? { links: customerLinks } : {}),
    ...(draftModel ? { draftModel } : {}),
    judgeSoon: (caseId) => judging.add(caseId),
    judgementThread: JudgementThread.for(judgement.file),
    ...(env.STRIPE_API_KEY ? { charges: stripeChargeLookup(env.STRIPE_API_KEY, opts.stripeApi) } : {}),
  };
  const judging = new JudgeAfterIngest(deps);
  const judgeFirst = async (caseId: number) => {
    const r = await judgeTicket(deps, { caseId });
    if (r?.escalated) deps.notify();
    return r !== null;
  };
  const linkSecrets = env.CUSTOMER_LINK_SECRET;
  const publicUrl = env.PUBLIC_URL?.replace(/\/+$/, '');
  const links =
    linkSecrets && publicUrl
      ? { unsubscribe: (requestId: number) => `${publicUrl}/u/${linkToken(linkSecrets, 'unsubscribe', requestId)}` }
      : null;
  const judgemeRequests =
    env.JUDGEME_API_TOKEN && env.JUDGEME_SHOP_DOMAIN
      ? judgemeRequestSender({ apiToken: env.JUDGEME_API_TOKEN, shopDomain: env.JUDGEME_SHOP_DOMAIN, ...(env.JUDGEME_API_URL ? { baseUrl: env.JUDGEME_API_URL } : {}) })
      : null;
  if (config.review_requests.enabled && config.review_requests.send_via === 'judgeme' && !judgemeRequests) {
    logger.warn('review_requests.send_via is judgeme but JUDGEME_API_TOKEN or JUDGEME_SHOP_DOMAIN is not set: requests are scheduled but not handed over');
  } else if (config.review_requests.enabled && config.review_requests.send_via === 'email' && (!mailer || !links)) {
    logger.warn(
      'review_requests is enabled but SMTP_URL, PUBLIC_URL or CUSTOMER_LINK_SECRET is not set: requests are scheduled but not e-mailed',
    );
  }
  dispatcher = new Dispatcher({
    db: database.db,
    client,
    logger,
    channelIntervalMs: env.SLACK_CHANNEL_INTERVAL_MS,
    leaseMs: env.OUTBOX_LEASE_MS,
    handlers: {
      ...caseDeliveryHandlers({ config, clock, teamUrl: () => identity.url || null, judgeFirst }),
      ...reviewDeliveryHandlers({ config, clock, teamUrl: () => identity.url || null }),
      ...slaDeliveryHandlers({ config, clock, teamUrl: () => identity.url || null }),
      ...digestDeliveryHandlers(config),
      ...replyDeliveryHandlers(deps, deps.senders!),
      ...reviewRequestDeliveryHandlers({ config, clock, mailer, links, judgeme: judgemeRequests }),
      ...ugcDeliveryHandlers(deps),
      ...chargeLookupDeliveryHandlers(deps),
    },
    ...opts.dispatcher,
  });

  const slack = createSlackApp(env, identity, deps, logger);
  let stopped = false;
  const routes: Route[] = [
    { method: 'GET', path: '/healthz', auth: 'public', handler: async () => ({ status: 200, body: { ok: true } }) },
    {
      method: 'GET',
      path: '/readyz',
      auth: 'public',
      handler: async () => {
        const ready = await isReady(database.db);
        if (ready.error) logger.warn({ err: ready.error }, 'not ready');
        // Deliveries that failed for good need an operator; they do not make the instance unready.
        const failed = ready.ok ? await countFailedSince(database.db, { since: new Date(Date.now() - 86_400_000) }) : 0;
        // Slack being away does not make it unready either: cases are stored and posted later.
        const slackState = { slack: link.state, ...(link.state === 'connected' ? {} : { slackDetail: link.detail }) };
        return { status: ready.ok ? 200 : 503, body: { ok: ready.ok, detail: ready.detail, failedDeliveries24h: failed, ...slackState } };
      },
    },
    { method: 'GET', path: '/api/v1/openapi.json', auth: 'public', handler: async () => ({ status: 200, body: buildOpenApi(VERSION) }) },
    ...ticketRoutes(deps),
    ...webhookRoutes(deps, secrets),
    ...csatRoutes(deps, env.CSAT_LINK_SECRET),
    ...customerLinkRoutes(deps, linkSecrets),
    ...customerRoutes(deps),
    metricsRoute(env.METRICS_TOKEN),
  ];
  const releaseOutboxProbe = setOutboxProbe(() => outboxDepth(database.db));
  if (env.OUTBOX_LEASE_MS < 30_000)
    logger.warn({ leaseMs: env.OUTBOX_LEASE_MS }, 'OUTBOX_LEASE_MS is below 30 s: slow Slack calls may outlive their lease');
  const server = createHttpServer({ routes, logger, ingestToken: env.INGEST_TOKEN, slack: slack.httpListener });
  await listen(server, env.PORT, opts.host);
  const port = (server.address() as AddressInfo).port;
  const goLive = async () => {
    await team.warm();
    await slack.start();
    dispatcher!.start();
  };
  let retry: NodeJS.Timeout | undefined;
  if (link.state === 'connected') {
    await goLive();
  } else {
    // Keep asking, backing off to once a minute; the first answer starts deliveries.
    let delay = 1_000;
    const attempt = () => {
      retry = setTimeout(async () => {
        try {
          await connect();
          link.state = 'connected';
          link.detail = '';
          await goLive();
          logger.info('Slack answered: delivering the cases stored meanwhile');
        } catch (err) {
          link.detail = `${(err as Error).message}; cases are stored and will be posted once Slack answers`;
          logger.warn({ err: (err as Error).message }, 'Slack still unreachable; trying again');
          delay = Math.min(delay * 2, 60_000);
          if (!stopped) attempt();
        }
      }, delay);
    };
    attempt();
  }
  judging.recover().catch((err: unknown) => logger.error({ err }, 'could not look for cases left unjudged'));
  const scheduler = new Scheduler(database.db, logger, clock);
  if (opts.scheduleJobs !== false) {
    const digest = digestJob(deps);
    scheduler.start([
      ...jobs,
      slaSweepJob({ config, logger }),
      disputeDeadlineJob(deps),
      reviewClusterJob(deps),
      reviewRequestJob(deps),
      retentionJob(deps),
      digest,
    ]);
    // A digest whose schedule passed while the app was down goes out now (and every 15 minutes after).
    scheduler.runInBackground(digest);
  }
  logger.info({ port, mode: env.SLACK_APP_TOKEN ? 'socket' : 'http', database: database.kind }, 'Trustloop started');

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    database,
    dispatcher,
    scheduler,
    identity,
    inFlight: () => server.inFlight(),
    listenersWorking: () => slack.working(),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(retry);
      // Stop taking new connections and say so on /readyz; requests already in flight (a webhook
      // being stored, a click being applied) finish, up to the grace period, before anything closes.
      // A click's work goes on after Slack's ack, so listeners still working finish too, within
      // what is left of the same grace period, before the database they write to closes.
      const graceEnds = Date.now() + env.SHUTDOWN_GRACE_MS;
      server.beginDrain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished = await server.drained(env.SHUTDOWN_GRACE_MS);
      if (!finished) logger.warn({ inFlight: server.inFlight() }, 'requests still running after the grace period; closing them');
      server.closeAllConnections();
      await closed;
      await slack.stop();
      if (!(await slack.quiet(Math.max(0, graceEnds - Date.now())))) {
        logger.warn({ listeners: slack.working() }, 'Slack actions still running after the grace period; stopping anyway');
      }
      await scheduler.stop();
      await judging.stop();
      await dispatcher!.stop();
      deps.senders?.close();
      mailer?.close();
      releaseOutboxProbe();
      if (ownsDatabase) await database.close();
      logger.info('Trustloop stopped');
    },
  };
}

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new StartupError('PORT', `${port} is already in use; set PORT to a free port`) : err),
    );
    if (host) server.listen(port, host, () => resolve());
    else server.listen(port, () => resolve());
  });
}
