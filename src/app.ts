import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import type { Env } from './config/env';
import type { WorkspaceConfig } from './config/workspace';
import { type Database, isReady, migrate, openDatabase } from './db/client';
import { createHttpServer, type Route } from './ingest/http';
import { buildOpenApi } from './ingest/openapi';
import { ticketRoutes } from './ingest/tickets';
import { createLogger, type Logger, slackLogger } from './logger';
import type { Deps } from './services/deps';
import { type BotIdentity, createSlackApp } from './slack/app';
import { caseDeliveryHandlers } from './slack/deliveries';
import { Dispatcher } from './slack/dispatcher';
import { TeamDirectory } from './slack/team';
import { createDeliveryClient, DEFAULT_SLACK_API_URL } from './slack/web';

export const VERSION = '0.1.0';

/** A start-up problem the operator must fix; main prints it as one line and exits non-zero. */
export class StartupError extends Error {
  constructor(readonly setting: string, detail: string) {
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
  dispatcher?: { leaseMs?: number; pollMs?: number };
}

export interface Trustloop {
  url: string;
  port: number;
  deps: Deps;
  database: Database;
  dispatcher: Dispatcher;
  identity: BotIdentity;
  stop(): Promise<void>;
}

/** Checks the bot token with auth.test; the answer names the bot (to ignore its own messages) and the workspace URL. */
export async function verifyBotToken(env: Env, logger: Logger): Promise<BotIdentity> {
  const client = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: env.SLACK_API_URL ?? DEFAULT_SLACK_API_URL,
    retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
    logger: slackLogger(logger, 'auth') as never,
  });
  try {
    const res = await client.auth.test();
    return { botId: res.bot_id ?? '', botUserId: res.user_id ?? '', teamId: res.team_id ?? '', url: res.url ?? '' };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code) throw new StartupError('SLACK_BOT_TOKEN', `was refused by Slack (${code}): copy the Bot User OAuth Token again from the app's OAuth & Permissions page`);
    throw new StartupError('SLACK_API_URL', `could not be reached (${(err as Error).message}); check the network or the URL`);
  }
}

export async function startTrustloop(opts: StartOptions): Promise<Trustloop> {
  const { env, config } = opts;
  const logger = opts.logger ?? createLogger(env.LOG_LEVEL);
  const clock = opts.clock ?? (() => new Date());

  const database =
    opts.database ?? (await openDatabase({ url: env.DATABASE_URL, dataDir: path.join(env.TRUSTLOOP_DATA_DIR, 'pglite') }));
  const ownsDatabase = !opts.database;
  try {
    await migrate(database);
  } catch (err) {
    if (ownsDatabase) await database.close();
    throw new StartupError(env.DATABASE_URL ? 'DATABASE_URL' : 'TRUSTLOOP_DATA_DIR', `could not be prepared: ${(err as Error).message}`);
  }

  let identity: BotIdentity;
  try {
    identity = await verifyBotToken(env, logger);
  } catch (err) {
    if (ownsDatabase) await database.close();
    throw err;
  }

  const client = createDeliveryClient(env.SLACK_BOT_TOKEN, env.SLACK_API_URL, logger);
  let dispatcher: Dispatcher | undefined;
  const deps: Deps = {
    db: database.db,
    config,
    clock,
    logger,
    team: new TeamDirectory(config.team, client, logger),
    notify: () => dispatcher?.wake(),
  };
  dispatcher = new Dispatcher({
    db: database.db,
    client,
    logger,
    channelIntervalMs: env.SLACK_CHANNEL_INTERVAL_MS,
    leaseMs: env.OUTBOX_LEASE_MS,
    handlers: caseDeliveryHandlers({ config, clock, teamUrl: () => identity.url || null }),
    ...opts.dispatcher,
  });

  const slack = createSlackApp(env, identity, deps, logger);
  const routes: Route[] = [
    { method: 'GET', path: '/healthz', auth: 'public', handler: async () => ({ status: 200, body: { ok: true } }) },
    {
      method: 'GET',
      path: '/readyz',
      auth: 'public',
      handler: async () => {
        const ready = await isReady(database.db);
        return { status: ready.ok ? 200 : 503, body: ready };
      },
    },
    { method: 'GET', path: '/api/v1/openapi.json', auth: 'public', handler: async () => ({ status: 200, body: buildOpenApi(VERSION) }) },
    ...ticketRoutes(deps),
  ];
  const server = createHttpServer({ routes, logger, ingestToken: env.INGEST_TOKEN, slack: slack.httpListener });
  await listen(server, env.PORT);
  const port = (server.address() as AddressInfo).port;
  await slack.start();
  dispatcher.start();
  logger.info({ port, mode: env.SLACK_APP_TOKEN ? 'socket' : 'http', database: database.kind }, 'Trustloop started');

  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    database,
    dispatcher,
    identity,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      await slack.stop();
      await dispatcher!.stop();
      if (ownsDatabase) await database.close();
      logger.info('Trustloop stopped');
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new StartupError('PORT', `${port} is already in use; set PORT to a free port`) : err),
    );
    server.listen(port, () => resolve());
  });
}
