import { PROVIDER_LABELS } from '../domain/reviews';
import type { Deps } from '../services/deps';
import { findDisputeCase, findReviewCase } from '../services/lookup';
import { keptHeaders, receiveEvents, recordIgnored, recordRejected } from '../services/webhooks';
import { HttpError, type Route, type RouteContext } from './http';
import { receiveConversations } from '../services/conversations';
import {
  type ConversationParse,
  generic,
  gorgias,
  helpscout,
  judgeme,
  mailgun,
  okendo,
  PayloadError,
  paypal,
  postmark,
  type ParseResult,
  type ProviderEvent,
  shopify,
  stripe,
  trustpilot,
  yotpo,
  zendesk,
} from './providers';
import { formFields } from './form';
import { summary } from './tickets';
import { PROVIDER_SETTING, type ProviderSecrets } from './webhook-config';

// Webhooks from review, dispute, store, helpdesk and inbound e-mail providers
// (POST /webhooks/<provider>) and the generic POST /api/v1/reviews and /api/v1/disputes.

interface SignedAdapter<C, R> {
  /** The provider posts a form (Mailgun): its fields are handed to verify and parse as JSON. */
  form?: boolean;
  verify(headers: RouteContext['req']['headers'], rawBody: Buffer, config: C, now: Date, url?: URL | string): void;
  parse(rawBody: Buffer, headers?: RouteContext['req']['headers']): R;
}

/**
 * One provider's webhook, in the order of work every provider shares: configured (else 404 naming
 * the setting), signed (else 401, nothing kept), readable (else 400, body kept), unknown event
 * types recorded as ignored, then `receive` stores what was sent and says what happened.
 */
function signedRoute<C, R extends { ignored?: { type: string } | null }>(
  deps: Deps,
  provider: string,
  setting: string,
  config: C | undefined,
  adapter: SignedAdapter<C, R>,
  receive: (result: R, headers: Record<string, string>, ctx: RouteContext) => Promise<Record<string, unknown>>,
): Route {
  return {
    method: 'POST',
    path: `/webhooks/${provider}`,
    auth: 'public',
    ingest: provider,
    async handler(ctx) {
      ctx.log.provider = provider;
      if (!config) {
        ctx.req.resume();
        throw new HttpError(
          404,
          'provider_not_configured',
          `${PROVIDER_LABELS[provider] ?? provider} webhooks are not enabled on this Trustloop: set ${setting} and restart.`,
        );
      }
      const body = adapter.form ? Buffer.from(JSON.stringify(await formFields(ctx.rawBody, ctx.req.headers['content-type']))) : ctx.rawBody;
      adapter.verify(ctx.req.headers, body, config, deps.clock(), ctx.url);
      const headers = keptHeaders(ctx.req.headers);
      const result = await parseOrKeep(deps, provider, ctx, headers, () => adapter.parse(body, ctx.req.headers));
      if (result.ignored) await recordIgnored(deps, { provider, type: result.ignored.type, headers });
      const received = await receive(result, headers, ctx);
      return { status: 200, body: { ok: true, ...received, ignored: result.ignored?.type ?? null } };
    },
  };
}

/** A review, dispute or store (Shopify) provider: its events are stored once by event id. */
function providerRoute<K extends keyof ProviderSecrets>(
  deps: Deps,
  secrets: ProviderSecrets,
  provider: K,
  adapter: SignedAdapter<NonNullable<ProviderSecrets[K]>, ParseResult<ProviderEvent>>,
): Route {
  return signedRoute(deps, provider, PROVIDER_SETTING[provider], secrets[provider] ?? undefined, adapter, async (result, headers, ctx) => {
    const outcomes = await receiveEvents(deps, { provider, events: result.events, headers });
    ctx.log.events = outcomes.length;
    return {
      received: outcomes.length,
      duplicates: outcomes.filter((o) => o.duplicate).length,
      // Older than what was already applied (out-of-order delivery): stored in the log, changed nothing.
      stale: outcomes.filter((o) => !o.duplicate && (o.review?.stale || o.dispute?.stale || o.order?.stale)).length,
    };
  });
}

/** A helpdesk or inbound e-mail provider: each conversation is stored once by its delivery id. */
function conversationRoute(
  deps: Deps,
  provider: string,
  config: string[] | undefined,
  setting: string,
  adapter: SignedAdapter<string[], ConversationParse>,
): Route {
  return signedRoute(deps, provider, setting, config, adapter, async (result, headers, ctx) => {
    const outcomes = await receiveConversations(deps, { provider, conversations: result.conversations, headers });
    const caseIds = [...new Set(outcomes.flatMap((o) => (o.caseId ? [o.caseId] : [])))];
    if (caseIds[0]) ctx.log.caseId = caseIds[0];
    return { received: outcomes.length, duplicates: outcomes.filter((o) => o.duplicate).length, cases: caseIds };
  });
}

/** Parses; an authentic but unreadable body is kept (inbox status rejected) and answered 400. */
async function parseOrKeep<T>(
  deps: Deps,
  provider: string,
  ctx: RouteContext,
  headers: Record<string, string>,
  parse: () => T,
): Promise<T> {
  try {
    return parse();
  } catch (err) {
    if (err instanceof PayloadError) {
      await recordRejected(deps, { provider, body: ctx.rawBody, headers, error: { message: err.message, issues: err.fieldIssues } });
    }
    throw err;
  }
}

type EventOutcome = Awaited<ReturnType<typeof receiveEvents>>[number];

/**
 * The generic REST API for one review or dispute (bearer INGEST_TOKEN): stored once by its
 * external id like a provider's event, answered 201 when it was new, with what it became.
 */
function apiRoute(
  deps: Deps,
  path: string,
  parse: (rawBody: Buffer) => ParseResult<ProviderEvent>,
  answer: (outcome: EventOutcome, externalId: string) => Promise<{ created: boolean; caseId?: number; body: Record<string, unknown> }>,
): Route {
  return {
    method: 'POST',
    path,
    auth: 'ingest',
    ingest: 'api',
    json: true,
    async handler(ctx) {
      const headers = keptHeaders(ctx.req.headers);
      const { events } = await parseOrKeep(deps, 'generic', ctx, headers, () => parse(ctx.rawBody));
      const [outcome] = await receiveEvents(deps, { provider: 'generic', events, headers });
      const { created, caseId, body } = await answer(outcome!, events[0]!.externalId);
      if (caseId) ctx.log.caseId = caseId;
      return { status: created ? 201 : 200, body };
    },
  };
}

export function webhookRoutes(deps: Deps, secrets: ProviderSecrets): Route[] {
  return [
    providerRoute(deps, secrets, 'judgeme', judgeme),
    providerRoute(deps, secrets, 'trustpilot', trustpilot),
    providerRoute(deps, secrets, 'yotpo', yotpo),
    providerRoute(deps, secrets, 'okendo', okendo),
    providerRoute(deps, secrets, 'stripe', stripe),
    providerRoute(deps, secrets, 'paypal', paypal),
    providerRoute(deps, secrets, 'shopify', shopify),
    conversationRoute(deps, 'zendesk', secrets.zendesk, PROVIDER_SETTING.zendesk, zendesk),
    conversationRoute(deps, 'helpscout', secrets.helpscout, PROVIDER_SETTING.helpscout, helpscout),
    conversationRoute(deps, 'gorgias', secrets.gorgias, PROVIDER_SETTING.gorgias, gorgias),
    conversationRoute(deps, 'postmark', secrets.postmark, PROVIDER_SETTING.postmark, postmark),
    conversationRoute(deps, 'mailgun', secrets.mailgun, PROVIDER_SETTING.mailgun, { ...mailgun, form: true }),
    apiRoute(deps, '/api/v1/reviews', generic.parseReview, async (outcome, externalId) => {
      const { review, case: c } = await findReviewCase(deps.db, { provider: 'generic', externalId });
      const created = !outcome.duplicate && Boolean(outcome.review?.reviewCreated);
      const body = {
        review_id: review?.id ?? null,
        created,
        duplicate: outcome.duplicate,
        negative: review?.negative ?? false,
        ugc_candidate: review?.ugcStatus === 'candidate',
        lead_reasons: review?.leadReasons ?? [],
        case: c ? summary(c, Boolean(!outcome.duplicate && outcome.review?.caseCreated)) : null,
      };
      return { created, caseId: c?.id, body };
    }),
    apiRoute(deps, '/api/v1/disputes', generic.parseDispute, async (outcome, externalId) => {
      const { dispute, case: c } = await findDisputeCase(deps.db, { provider: 'generic', externalId });
      const created = !outcome.duplicate && Boolean(outcome.dispute?.created);
      const body = {
        dispute_id: dispute?.id ?? null,
        created,
        duplicate: outcome.duplicate,
        stage: dispute?.stage ?? null,
        state: dispute?.state ?? null,
        outcome: dispute?.outcome ?? null,
        case: c ? summary(c, created) : null,
      };
      return { created, caseId: c?.id, body };
    }),
  ];
}
