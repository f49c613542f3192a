import { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import { slackLogger } from '../logger';

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
