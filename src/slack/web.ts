import { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import { slackLogger } from '../logger';

/** Who Trustloop is in the workspace, as auth.test answers at start-up. */
export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId: string;
  /** https://<workspace>.slack.com/ */
  url: string;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * The Web API client the dispatcher uses: it never retries or waits by itself, so a 429 or an
 * outage comes back to the outbox, which reschedules the row instead of blocking every channel.
 */
export function createDeliveryClient(token: string, apiUrl: string | undefined, logger: Logger): WebClient {
  return new WebClient(token, {
    slackApiUrl: apiUrl ?? DEFAULT_SLACK_API_URL,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logger: slackLogger(logger, 'slack-web') as never,
  });
}

/**
 * The client for start-up and operator look-ups (auth.test, names): nothing is queued behind
 * these, so it may retry and wait out a 429 (users.list is allowed about 20 calls a minute).
 */
export function createLookupClient(token: string, apiUrl: string | undefined, logger: Logger, name = 'lookup'): WebClient {
  return new WebClient(token, {
    slackApiUrl: apiUrl ?? DEFAULT_SLACK_API_URL,
    retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 2000 },
    timeout: 10_000,
    logger: slackLogger(logger, name) as never,
  });
}
