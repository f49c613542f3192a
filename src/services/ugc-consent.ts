import { InvalidInput } from '../domain/errors';
import { requestLanguage } from '../domain/review-request-email';
import {
  answerLinksExpire,
  applyConsent,
  CONSENT_SCOPES,
  type ConsentScope,
  type ConsentState,
  consentState,
  GRANT_DURATIONS,
  type LinkAnswer,
  linkCommand,
  reviewConsent,
  type UsageRightsMessage,
  usageRightsMessage,
} from '../domain/ugc-consent';
import type { Db } from '../db/client';
import { insertEvent } from '../db/queries/cases';
import { type Enqueue, enqueue, PRIORITY } from '../db/queries/outbox';
import { getReview, lockReview, updateReview } from '../db/queries/reviews';
import { claimConsentEmail, getConsentRequest, insertConsentRequest, latestConsentRequest, lockConsentRequest, releaseConsentEmail, updateConsentRequest } from '../db/queries/ugc';
import type { Review, UgcConsentRequest } from '../db/schema';
import { requireTeam } from './access';
import type { CustomerLinks, Deps } from './deps';
import { failureOf } from './send';

// Usage rights for UGC: the team asks from the UGC post (where, for how long, a line of their own),
// the customer answers through signed links in the message, and each answer is recorded as the
// customer's, audited, and shown on the post. Only a recorded, current grant makes content usable.

/** The outbox kind that e-mails a usage-rights request. */
export const NOTE_MAX = 500;

export interface UsageRightsInput {
  scope: readonly string[];
  /** Months a grant lasts from the answer; null: until withdrawn. */
  grantMonths: number | null;
  note: string | null;
}

export type UsageRightsResult =
  | { changed: true; request: UgcConsentRequest; copy: UsageRightsMessage | null }
  | { changed: false; notice: string };

function ugcUpdate(r: Review): Enqueue[] {
  return r.ugcChannel
    ? [{ kind: 'ugc_update', channel: r.ugcChannel, orderKey: `ugc:${r.id}`, payload: { reviewId: r.id }, priority: PRIORITY.interactive }]
    : [];
}

/** The message as the customer reads it, with the request's signed links. */
export function requestMessage(config: Deps['config'], links: CustomerLinks | null, r: Review, req: UgcConsentRequest): UsageRightsMessage {
  const cfg = config.review_requests;
  return usageRightsMessage({
    store: config.store.name,
    // The language the review was written in, when the store writes it; else the store's own.
    language: requestLanguage(r.language, null, cfg.languages, cfg.default_language),
    customerName: r.reviewerName?.trim().split(/\s+/)[0] ?? null,
    productTitle: r.productTitle,
    media: r.media.length,
    scope: CONSENT_SCOPES.filter((s) => req.scope.includes(s)),
    grantMonths: req.grantMonths,
    note: req.note,
    grantUrl: links?.ugcAnswer(req.id, 'grant', req.linkExpiresAt) ?? null,
    declineUrl: links?.ugcAnswer(req.id, 'decline', req.linkExpiresAt) ?? null,
    linkExpiresAt: req.linkExpiresAt,
  });
}

/** Checks the staff form before the modal closes, so a problem is shown beside its field. */
export function checkUsageRightsInput(input: UsageRightsInput): void {
  if (!CONSENT_SCOPES.some((s) => input.scope.includes(s))) throw new InvalidInput('Choose where you want to use it.', ['scope']);
  if (!(GRANT_DURATIONS as readonly (number | null)[]).includes(input.grantMonths)) throw new InvalidInput('Choose how long the grant lasts.', ['grantMonths']);
  if ((input.note ?? '').length > NOTE_MAX) throw new InvalidInput(`Keep the note under ${NOTE_MAX} characters.`, ['note']);
}

/**
 * "Request usage rights": records the request (superseding an open one), and either queues the
 * e-mail to the reviewer over the store's SMTP transport or, with no address or no SMTP, returns
 * the message for the team to send themselves. Nothing is granted here: only the customer's answer grants.
 */
export async function requestUsageRights(deps: Deps, params: { reviewId: number; actor: string; input: UsageRightsInput }): Promise<UsageRightsResult> {
  const { actor, input } = params;
  await requireTeam(deps, { caseId: null, actor, attempted: 'ugc_request', what: 'request usage rights', via: 'modal' });
  checkUsageRightsInput(input);
  // Without PUBLIC_URL and CUSTOMER_LINK_SECRET the message asks the customer to reply, and the team records the answer with the post's buttons.
  const links = deps.links ?? null;
  const now = deps.clock();
  const scope = CONSENT_SCOPES.filter((s) => input.scope.includes(s));
  const note = input.note?.trim() ? input.note.trim() : null;
  const result = await deps.db.transaction(async (tx): Promise<UsageRightsResult> => {
    const r = await lockReview(tx, { id: params.reviewId });
    if (!r || r.ugcStatus === null) throw new InvalidInput('That UGC candidate no longer exists.');
    const change = applyConsent(reviewConsent(r), { kind: 'request' }, now);
    if (!change.changed) return change;
    const byEmail = r.reviewerEmail !== null && deps.senders?.available('email') === true;
    const request = await insertConsentRequest(tx, {
      reviewId: r.id,
      scope,
      grantMonths: input.grantMonths,
      note,
      channel: byEmail ? 'email' : 'copy',
      target: r.reviewerEmail,
      requestedBy: actor,
      requestedAt: now,
      linkExpiresAt: answerLinksExpire(now),
      status: byEmail ? 'queued' : 'copy',
    });
    const updated = await updateReview(tx, {
      id: r.id,
      patch: {
        ugcStatus: 'candidate',
        ugcConsent: 'requested',
        ugcConsentAt: now,
        ugcConsentBy: actor,
        ugcConsentRequestedAt: now,
        ugcConsentScope: [],
        ugcConsentExpiresAt: null,
        ugcConsentVia: null,
        ugcConsentNote: note,
      },
    });
    await insertEvent(tx, {
      caseId: r.caseId,
      actor,
      action: change.event,
      data: { reviewId: r.id, requestId: request.id, scope, grantMonths: input.grantMonths, note, channel: request.channel },
      at: now,
    });
    await enqueue(tx, [
      ...(byEmail ? [{ kind: 'ugc_consent_email' as const, channel: 'ugc:email', orderKey: `ugc:${r.id}`, payload: { requestId: request.id }, priority: PRIORITY.interactive }] : []),
      ...ugcUpdate(updated),
    ]);
    return { changed: true, request, copy: byEmail ? null : requestMessage(deps.config, links, updated, request) };
  });
  if (result.changed) deps.notify();
  deps.logger.info({ reviewId: params.reviewId, changed: result.changed }, 'usage rights requested');
  return result;
}

/** Delivers a queued request e-mail once: the request's status moves queued → sent (or failed, shown on the post). */
export async function deliverUsageRightsEmail(
  db: Db,
  deps: Pick<Deps, 'config' | 'clock' | 'senders' | 'links'>,
  params: { requestId: number },
): Promise<{ sent: boolean; reason?: string; retry?: unknown }> {
  const req = await getConsentRequest(db, { id: params.requestId });
  if (!req || req.status !== 'queued' || !req.target) return { sent: false, reason: 'request is not waiting to be e-mailed' };
  const r = await getReview(db, { id: req.reviewId });
  if (!r) return { sent: false, reason: 'review no longer exists' };
  if (!deps.senders?.available('email')) return { sent: false, retry: new Error('smtp_not_configured: set SMTP_URL and SMTP_FROM') };
  const message = requestMessage(deps.config, deps.links ?? null, r, req);
  // Exactly once: queued → sending in one statement; a second try of the row (its lease ran out
  // while the first was still talking to the mail server) finds it claimed and sends nothing.
  if (!(await claimConsentEmail(db, { id: req.id }))) return { sent: false, reason: 'usage-rights e-mail is being sent by another try' };
  try {
    const out = await deps.senders.send('email', {
      target: req.target,
      subject: message.subject,
      text: message.text,
      customerEmail: req.target,
      messageId: `<trustloop-ugc-${req.id}.review-${r.id}@trustloop.invalid>`,
    });
    await db.transaction(async (tx) => {
      const current = await lockConsentRequest(tx, { id: req.id });
      if (current?.status !== 'sending') return;
      await updateConsentRequest(tx, { id: req.id, patch: { status: 'sent', messageId: out.externalId, lastError: null } });
      await enqueue(tx, ugcUpdate(r));
    });
    return { sent: true };
  } catch (err) {
    const failure = failureOf(err);
    if (!failure.permanent) {
      await releaseConsentEmail(db, { id: req.id });
      return { sent: false, retry: err };
    }
    await db.transaction(async (tx) => {
      const current = await lockConsentRequest(tx, { id: req.id });
      if (current?.status !== 'sending') return;
      await updateConsentRequest(tx, { id: req.id, patch: { status: 'failed', lastError: failure.message.slice(0, 500) } });
      await insertEvent(tx, { caseId: r.caseId, actor: 'system', action: 'ugc_consent_email_failed', data: { reviewId: r.id, requestId: req.id, error: failure.message.slice(0, 500) }, at: deps.clock() });
      await enqueue(tx, ugcUpdate(r));
    });
    return { sent: false, reason: `usage-rights e-mail refused: ${failure.message}` };
  }
}

export type AnswerOutcome =
  | { kind: 'recorded' | 'unchanged'; state: ConsentState; scope: ConsentScope[]; expiresAt: Date | null; productTitle: string | null }
  | { kind: 'expired' | 'superseded' | 'gone' };

/**
 * The customer's answer through a signed link: recorded with the request's scope and duration,
 * audited as the customer's, and shown on the UGC post. Replaying a link changes nothing; a "no"
 * after a "yes" withdraws the grant (even once the links have expired); a superseded request's
 * links do nothing.
 */
export async function answerUsageRights(deps: Deps, params: { requestId: number; answer: LinkAnswer; linkExpired: boolean }): Promise<AnswerOutcome> {
  const now = deps.clock();
  const first = await getConsentRequest(deps.db, { id: params.requestId });
  if (!first) return { kind: 'gone' };
  const outcome = await deps.db.transaction(async (tx): Promise<AnswerOutcome> => {
    // The review's lock first, as the staff request takes it: the two never wait on each other in a circle.
    const r = await lockReview(tx, { id: first.reviewId });
    const req = await lockConsentRequest(tx, { id: params.requestId });
    if (!r || !req) return { kind: 'gone' };
    // Only the newest request's links answer: an older one (superseded, or answered before the team asked again) records nothing.
    const newest = await latestConsentRequest(tx, { reviewId: r.id });
    if (req.status === 'superseded' || newest?.id !== req.id) return { kind: 'superseded' };
    const current = reviewConsent(r);
    const cmd = linkCommand(current, params.answer, req, now);
    if (params.linkExpired && cmd.kind !== 'revoke') return { kind: 'expired' };
    const facts = (c: typeof current) => ({ state: consentState(c, now), scope: c.scope, expiresAt: c.expiresAt, productTitle: r.productTitle });
    const change = applyConsent(current, cmd, now);
    if (!change.changed) return { kind: 'unchanged', ...facts(current) };
    const updated = await updateReview(tx, {
      id: r.id,
      patch: {
        ugcConsent: change.consent.state,
        ugcConsentAt: now,
        ugcConsentBy: null,
        ugcConsentScope: change.consent.scope,
        ugcConsentExpiresAt: change.consent.expiresAt,
        ugcConsentVia: 'link',
      },
    });
    const answer = change.consent.state;
    await updateConsentRequest(tx, { id: req.id, patch: { status: 'answered', answer, answeredAt: now } });
    await insertEvent(tx, {
      caseId: r.caseId,
      actor: 'customer',
      action: change.event,
      data: { reviewId: r.id, requestId: req.id, via: 'link', scope: change.consent.scope, expiresAt: change.consent.expiresAt?.toISOString() ?? null },
      at: now,
    });
    await enqueue(tx, ugcUpdate(updated));
    return { kind: 'recorded', ...facts(change.consent) };
  });
  if (outcome.kind === 'recorded') deps.notify();
  deps.logger.info({ requestId: params.requestId, answer: params.answer, outcome: outcome.kind }, 'usage rights answered');
  return outcome;
}

/** What the request modal shows: who is asked, and whether Trustloop can e-mail them. */
export async function prepareUsageRights(deps: Deps, params: { reviewId: number; actor: string }): Promise<{ review: Review; byEmail: boolean }> {
  await requireTeam(deps, { caseId: null, actor: params.actor, attempted: 'ugc_request', what: 'request usage rights', via: 'button' });
  const review = await getReview(deps.db, { id: params.reviewId });
  if (!review || review.ugcStatus === null) throw new InvalidInput('That UGC candidate no longer exists.');
  return { review, byEmail: review.reviewerEmail !== null && deps.senders?.available('email') === true };
}

/** The request a link names, for its page, and whether it is still the one to answer (the review's newest). */
export async function requestForLink(deps: Pick<Deps, 'db'>, params: { requestId: number }): Promise<{ request: UgcConsentRequest; current: boolean } | null> {
  const request = await getConsentRequest(deps.db, { id: params.requestId });
  if (!request) return null;
  const newest = await latestConsentRequest(deps.db, { reviewId: request.reviewId });
  return { request, current: request.status !== 'superseded' && newest?.id === request.id };
}
