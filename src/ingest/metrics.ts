import { registry } from '../metrics';
import { HttpError, type Route, tokenMatches } from './http';

/**
 * GET /metrics for Prometheus. Without METRICS_TOKEN it does not exist (404): figures about a
 * store's queue are nobody's business by default. With it, the scraper sends the token as a bearer.
 */
export function metricsRoute(token: string | undefined): Route {
  return {
    method: 'GET',
    path: '/metrics',
    auth: 'public',
    async handler(ctx) {
      if (!token) throw new HttpError(404, 'not_found', 'Metrics are off: set METRICS_TOKEN to serve them (see README, Monitoring).');
      const header = ctx.req.headers.authorization ?? '';
      if (!tokenMatches(header.startsWith('Bearer ') ? header.slice(7).trim() : undefined, token)) {
        throw new HttpError(401, 'unauthorized', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".', undefined, {
          'www-authenticate': 'Bearer',
        });
      }
      return { status: 200, body: await registry.metrics(), headers: { 'content-type': registry.contentType } };
    },
  };
}
