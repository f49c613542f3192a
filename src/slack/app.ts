import type { RequestListener } from 'node:http';
import { createRequire } from 'node:module';
import type { App as BoltApp, HTTPReceiver as BoltHTTPReceiver, SocketModeReceiver as BoltSocketModeReceiver } from '@slack/bolt';
import type { Env } from '../config/env';
import type { Logger } from '../logger';
import { slackLogger } from '../logger';
import type { Deps } from '../services/deps';
import { registerListeners } from './listeners';
import { type BotIdentity, DEFAULT_SLACK_API_URL } from './web';

// Bolt's package entry also reads Express (for its ExpressReceiver), the AWS Lambda receiver and
// the OAuth installer's exports, none of which Trustloop uses: some 2 MB of heap and 90 ms at start.
// The app and the two receivers it does use are read from their own files.
const require = createRequire(import.meta.url);
const { default: App } = require('@slack/bolt/dist/App') as { default: typeof BoltApp };
const { default: HTTPReceiver } = require('@slack/bolt/dist/receivers/HTTPReceiver') as { default: typeof BoltHTTPReceiver };
const { default: SocketModeReceiver } = require('@slack/bolt/dist/receivers/SocketModeReceiver') as {
  default: typeof BoltSocketModeReceiver;
};

export interface SlackApp {
  app: BoltApp;
  /** Set in HTTP mode: mounted at /slack/events on Trustloop's HTTP server. */
  httpListener?: RequestListener;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Listeners still working after their ack (Slack already has its answer). */
  working(): number;
  /** Resolves true once no listener is working, or false when ms pass first. */
  quiet(ms: number): Promise<boolean>;
}

/**
 * The Bolt app. HTTP mode (signing secret) shares Trustloop's port; Socket Mode (app token)
 * opens an outgoing WebSocket instead and needs no public URL. Bolt verifies signatures and
 * timestamps; the listeners do the rest.
 */
export function createSlackApp(env: Env, identity: BotIdentity, deps: Deps, logger: Logger): SlackApp {
  const apiUrl = env.SLACK_API_URL ?? DEFAULT_SLACK_API_URL;
  const boltLogger = slackLogger(logger, 'bolt') as never;
  const authorize = async () => ({
    botToken: env.SLACK_BOT_TOKEN,
    botId: identity.botId,
    botUserId: identity.botUserId,
    teamId: identity.teamId,
  });
  // Slack is answered at ack(); the listener's work goes on after the response, so it is counted
  // here for a clean shutdown and for anyone waiting until Trustloop is quiet.
  let working = 0;
  let waiters: (() => void)[] = [];
  const count = (app: BoltApp) =>
    app.use(async ({ next }) => {
      working++;
      try {
        await next();
      } finally {
        working--;
        if (working === 0) for (const w of waiters.splice(0)) w();
      }
    });
  const quiet = (ms: number) =>
    working === 0
      ? Promise.resolve(true)
      : new Promise<boolean>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            resolve(true);
          };
          const timer = setTimeout(() => {
            waiters = waiters.filter((w) => w !== done);
            resolve(false);
          }, ms);
          waiters.push(done);
        });
  const common = {
    authorize,
    logger: boltLogger,
    clientOptions: { slackApiUrl: apiUrl, timeout: 10_000 },
    // Replicas share nothing in memory: no conversation store.
    convoStore: false as const,
    extendedErrorHandler: true,
  };

  if (env.SLACK_APP_TOKEN) {
    const receiver = new SocketModeReceiver({
      appToken: env.SLACK_APP_TOKEN,
      logger: boltLogger,
      installerOptions: { clientOptions: { slackApiUrl: apiUrl } },
    });
    const app = new App({ ...common, receiver });
    count(app);
    registerListeners(app, deps, identity);
    return {
      app,
      working: () => working,
      quiet,
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }

  const receiver = new HTTPReceiver({
    signingSecret: env.SLACK_SIGNING_SECRET!,
    endpoints: '/slack/events',
    logger: boltLogger,
    // Ack as soon as the listener calls ack(); work continues after the response.
    processBeforeResponse: false,
  });
  const app = new App({ ...common, receiver });
  count(app);
  registerListeners(app, deps, identity);
  return { app, httpListener: receiver.requestListener, start: async () => {}, stop: async () => {}, working: () => working, quiet };
}
