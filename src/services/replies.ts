import { InvalidInput } from '../domain/errors';
import { composeReply, replyText, replyTypeOf } from '../domain/reply/compose';
import { approveRefusal, OVERRIDE_REASON_MIN, type SendRefusal, sendRefusal } from '../domain/reply/gate';
import type { ReplyEvent } from '../domain/reply/channels';
import { checkPromises, type PromiseFinding } from '../domain/reply/promise-check';
import { draftFromModel, modelMessages } from '../domain/reply/model-draft';
import { DraftModelError, type DraftModelFailure } from './draft-model';
import { PART_MAX, REPLY_TYPES, type ReplyDraft, type ReplyFacts, type ReplyOrder, type ReplyType, type ShipmentState } from '../domain/reply/types';
import type { OrderContext } from '../domain/orders';
import { type ReplyLanguage, replyLanguage } from '../domain/review-reply';
import type { Db } from '../db/client';
import { insertEvent, insertMessage, lockCase, updateCase } from '../db/queries/cases';
import { enqueue, enqueueCardUpdate, PRIORITY } from '../db/queries/outbox';
import { getDraft, insertDraft, latestDraft, lockDraft, orderByName, updateDraft } from '../db/queries/replies';
import { getReviewByCase } from '../db/queries/reviews';
import type { Case, Order, ReplyDraftRow } from '../db/schema';
import { requireCase, slaPatch } from './cases/state';
import { requireTeam } from './access';
import { staffCommand } from './staff-command';
import { orderContext } from './orders';
import type { Deps } from './deps';
import { createSenders, routeFor, type SendChannel, type Senders } from './send';

// Replies from the card: the composer's draft, saved versions with their promise check, a second
// person's approval or the sender's recorded override, and Send, which queues the exact saved text
// for the outbox. Only a person's click moves a reply towards a customer. Services return facts;
// Slack text is rendered from the stored draft and events by blocks/reply.ts.

export type ReplyDeps = Deps;

const NO_SENDERS: Senders = createSenders({});
const sendersOf = (deps: Deps): Senders => deps.senders ?? NO_SENDERS;

/**
 * Who wrote the composer's starting draft: the built-in composer, or the configured model. When the
 * model was asked but its draft could not be used, `failure` says why and the draft is the built-in one.
 */
export interface ComposerDrafting {
  source: 'rules' | 'model';
  model: string | null;
  failure: DraftModelFailure | null;
  /** What the promise check already finds in the starting draft (the model's may promise too much). */
  findings: PromiseFinding[];
}

export interface ComposerModel {
  c: Case;
  draft: ReplyDraft;
  drafting: ComposerDrafting;
  /** The channel Send will use, and whether it is set up; null: nowhere to send (copy the text). */
  route: { channel: SendChannel; available: boolean } | null;
  previous: ReplyDraftRow | null;
}

/** Where the parcel is, from the order's newest shipment (Shopify's shipment_status), else its fulfilment. */
function shipmentState(ctx: OrderContext | null, o: Order | null, c: Case): ShipmentState | null {
  if (ctx?.order.cancelledAt || o?.cancelledAt) return 'cancelled';
  const d = ctx?.delivery ?? null;
  if (d) {
    if (d.deliveredAt || d.shipmentStatus === 'delivered') return 'delivered';
    if (d.status === 'cancelled' || d.status === 'failure' || d.status === 'error') return null;
    return 'in_transit';
  }
  const f = o?.fulfillmentStatus?.toLowerCase() ?? null;
  if (f === 'fulfilled' || f === 'partial' || f === 'shipped' || f === 'in_transit') return 'in_transit';
  if (f === 'delivered') return 'delivered';
  if (ctx || (o && (f === null || f === 'unfulfilled' || f === 'unshipped'))) return 'unfulfilled';
  return c.carrier ? 'in_transit' : null;
}

/**
 * The order as the reply states it: the order the case was matched to (its shipment, carrier and
 * tracking number), else the case's own order fields completed by the stored order of that name.
 */
export async function replyOrder(db: Db, c: Case): Promise<ReplyOrder | null> {
  const ctx = c.matchedOrderId ? await orderContext(db, { orderId: c.matchedOrderId }) : null;
  if (!ctx && !c.orderId) return null;
  const o = !ctx && c.orderId ? await orderByName(db, { name: c.orderId }) : null;
  const name = ctx?.order.name ?? `#${c.orderId!.replace(/^#/, '')}`;
  const d = ctx?.delivery ?? null;
  return {
    name: name.startsWith('#') ? name : `#${name}`,
    country: ctx?.order.country ?? c.orderCountry ?? o?.country ?? null,
    carrier: d?.carrier ?? c.carrier ?? null,
    tracking: d?.trackingNumber ?? null,
    state: shipmentState(ctx, o, c),
    orderedAt: ctx?.order.placedAt ?? o?.placedAt ?? null,
    shippedAt: d?.fulfilledAt ?? null,
    deliveredAt: d?.deliveredAt ?? null,
    method: null,
  };
}

async function ownerName(deps: Deps, c: Case): Promise<string | null> {
  if (!c.ownerId) return null;
  const named = (deps.team as Partial<{ displayName(id: string): Promise<string | null> }>).displayName;
  return named ? ((await named.call(deps.team, c.ownerId)) ?? null) : null;
}

function languageOf(c: Case, reviewLanguage: string | null): ReplyLanguage {
  return replyLanguage(reviewLanguage, c.judgement?.language);
}

/** The composer's starting point: the rule-based draft from the case, its tags, its order, the policy and the customer's language. */
export async function prepareComposer(deps: ReplyDeps, params: { caseId: number; actor: string; via?: string }): Promise<ComposerModel> {
  await requireTeam(deps, { caseId: params.caseId, actor: params.actor, attempted: 'reply', what: 'reply to customers', via: params.via ?? 'button' });
  const c = await requireCase(deps.db, params.caseId);
  const review = c.kind === 'review' ? await getReviewByCase(deps.db, { caseId: c.id }) : null;
  const facts: ReplyFacts = {
    language: languageOf(c, review?.language ?? null),
    type: replyTypeOf(c.kind, c.tags.length > 0 ? c.tags : c.suggestedTags),
    customerName: c.customerName ?? review?.reviewerName ?? null,
    subject: c.subject,
    body: c.body,
    order: await replyOrder(deps.db, c),
    owner: await ownerName(deps, c),
    policy: deps.config.policy,
    now: deps.clock(),
  };
  const previous = await latestDraft(deps.db, { caseId: c.id });
  // An unsent draft is edited where it was left: the model is not asked for a new one.
  const unsent = previous !== null && (previous.status === 'draft' || previous.status === 'failed');
  const { draft, drafting } = await startingDraft(unsent ? { ...deps, draftModel: undefined } : deps, c, facts);
  const route = routeFor(c, review);
  return {
    c,
    draft,
    drafting,
    route: route ? { channel: route.channel, available: sendersOf(deps).available(route.channel) } : null,
    previous,
  };
}

/**
 * The built-in draft, or the model's when one is configured and answers well in time. Any failure
 * (no answer, a refusal, an answer that is not the five parts) falls back to the built-in draft.
 */
async function startingDraft(deps: ReplyDeps, c: Case, facts: ReplyFacts): Promise<{ draft: ReplyDraft; drafting: ComposerDrafting }> {
  const base = composeReply(facts);
  const model = deps.draftModel;
  if (!model) return { draft: base, drafting: { source: 'rules', model: null, failure: null, findings: [] } };
  const check = (d: ReplyDraft) => checkPromises(replyText(d), { language: d.language, type: d.type, policy: facts.policy, country: facts.order?.country ?? null });
  try {
    const draft = draftFromModel(await model.draft(modelMessages(facts, base)), base);
    return { draft, drafting: { source: 'model', model: model.name, failure: null, findings: check(draft) } };
  } catch (err) {
    const failure = err instanceof DraftModelError ? err.failure : 'unreachable';
    deps.logger.warn({ caseId: c.id, model: model.name, err: (err as Error).message }, 'model draft not used; the built-in draft stands');
    return { draft: base, drafting: { source: 'rules', model: model.name, failure, findings: check(base) } };
  }
}

export interface DraftInput {
  language: string;
  type: string;
  greeting: string;
  parts: { confirmation: string; status: string; next: string; needs: string | null; contact: string };
  signoff: string;
}

export { PART_MAX } from '../domain/reply/types';

/** Checks the parts before the composer closes, so a problem is shown beside its field. */
export function checkDraftInput(d: DraftInput): void {
  const required: [keyof typeof PART_MAX, string][] = [
    ['confirmation', d.parts.confirmation],
    ['status', d.parts.status],
    ['next', d.parts.next],
    ['contact', d.parts.contact],
  ];
  for (const [field, value] of required) if (!value.trim()) throw new InvalidInput('Say something here: every reply has this part.', [field]);
  const all: [keyof typeof PART_MAX, string | null][] = [...required, ['greeting', d.greeting], ['needs', d.parts.needs], ['signoff', d.signoff]];
  for (const [field, value] of all) {
    if ((value ?? '').length > PART_MAX[field]) throw new InvalidInput(`Keep this under ${PART_MAX[field]} characters.`, [field]);
  }
}

/**
 * Saves the draft as a new version: its exact text, the promise check's findings, and where Send
 * would deliver it; the draft goes into the card's thread and the card shows it.
 */
export async function saveReply(deps: ReplyDeps, params: { caseId: number; actor: string; input: DraftInput; gaps?: string[] }): Promise<ReplyDraftRow> {
  const { actor, input } = params;
  checkDraftInput(input);
  const language = replyLanguage(input.language);
  const type: ReplyType = (REPLY_TYPES as readonly string[]).includes(input.type) ? (input.type as ReplyType) : 'general';
  const parts = { ...input.parts, needs: input.parts.needs?.trim() ? input.parts.needs : null };
  const body = replyText({ greeting: input.greeting, parts, signoff: input.signoff });
  const cmd = { caseId: params.caseId, actor, attempted: 'reply_draft', what: 'reply to customers', via: 'modal' };
  const { draft: row } = await staffCommand(deps, cmd, async (tx, c, now) => {
    const review = c.kind === 'review' ? await getReviewByCase(tx, { caseId: c.id }) : null;
    const order = await replyOrder(tx, c);
    const findings = checkPromises(body, { language, type, policy: deps.config.policy, country: order?.country ?? null });
    const route = routeFor(c, review);
    const available = route !== null && sendersOf(deps).available(route.channel);
    const draft = await insertDraft(tx, {
      caseId: c.id,
      language,
      type,
      greeting: input.greeting,
      parts,
      signoff: input.signoff,
      body,
      findings: findings.map((f) => ({ rule: f.rule, excerpt: f.excerpt, policy: f.policy })),
      gaps: params.gaps ?? [],
      channel: available ? route.channel : null,
      target: route?.target ?? null,
      draftedBy: actor,
      draftedAt: now,
    });
    await insertEvent(tx, { caseId: c.id, actor, action: 'reply_drafted', data: { draftId: draft.id, version: draft.version, findings: findings.map((f) => f.rule) }, at: now });
    await enqueueReplyPost(tx, c, draft.id, 'drafted', actor);
    await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
    return { changed: true, draft };
  });
  deps.logger.info({ caseId: params.caseId, draftId: row.id, findings: row.findings.length }, 'reply drafted');
  return row;
}

async function enqueueReplyPost(tx: Db, c: Case, draftId: number, event: ReplyEvent, actor: string): Promise<void> {
  await enqueue(tx, [
    { kind: 'reply_post', caseId: c.id, channel: c.channelId, payload: { draftId, event, actor }, priority: PRIORITY.interactive },
  ]);
}

export type ReplyResult = { changed: true; draft: ReplyDraftRow } | { changed: false; notice: string };

/** A second person approves a flagged draft. */
export async function approveReply(deps: ReplyDeps, params: { draftId: number; actor: string }): Promise<ReplyResult> {
  const draft = await requireDraft(deps.db, params.draftId);
  await requireTeam(deps, { caseId: draft.caseId, actor: params.actor, attempted: 'reply_approve', what: 'approve replies', via: 'button' });
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<ReplyResult> => {
    const c = await lockCase(tx, { id: draft.caseId });
    const d = await lockDraft(tx, { id: params.draftId });
    if (!c || !d) throw new InvalidInput('That draft no longer exists.');
    const refusal = approveRefusal(d, params.actor);
    if (refusal) return { changed: false, notice: APPROVE_NOTICE[refusal.code] };
    const updated = await updateDraft(tx, { id: d.id, patch: { approvedBy: params.actor, approvedAt: now } });
    await insertEvent(tx, { caseId: c.id, actor: params.actor, action: 'reply_approved', data: { draftId: d.id, findings: d.findings.map((f) => f.rule) }, at: now });
    await enqueueReplyPost(tx, c, d.id, 'approved', params.actor);
    await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
    return { changed: true, draft: updated };
  });
  if (result.changed) deps.notify();
  return result;
}

const APPROVE_NOTICE: Record<NonNullable<ReturnType<typeof approveRefusal>>['code'], string> = {
  own_draft: 'You wrote this draft: someone else on the team must approve it (or send it anyway, giving your reason).',
  nothing_to_approve: 'The promise check found nothing in this draft: it needs no approval.',
  not_open: 'This draft was already sent or replaced by a newer one.',
  already_approved: 'This draft is already approved.',
};

export interface SendRequest {
  draftId: number;
  actor: string;
  /** A must-escalate case: the person confirmed, in the confirmation modal, that the reply may go. */
  confirmEscalation?: boolean;
  /** The sender's own word on a flagged draft, with the reason (audited). */
  override?: { reason: string };
}

export type SendResult =
  | { queued: true; draft: ReplyDraftRow }
  | { queued: false; refusal: SendRefusal; draft: ReplyDraftRow; reason?: string }
  | { queued: false; copy: true; draft: ReplyDraftRow };

/**
 * Send: checks the gates, then queues the saved text for the outbox (which delivers it exactly
 * once, with retries). A draft without a channel is not sent: the caller shows the text to copy.
 */
export async function sendReply(deps: ReplyDeps, req: SendRequest): Promise<SendResult> {
  const first = await requireDraft(deps.db, req.draftId);
  await requireTeam(deps, { caseId: first.caseId, actor: req.actor, attempted: 'reply_send', what: 'send replies', via: 'button' });
  if (req.override && req.override.reason.trim().length < OVERRIDE_REASON_MIN) {
    throw new InvalidInput(`Say why the draft may go as it is (at least ${OVERRIDE_REASON_MIN} characters): it is kept in the audit log.`, ['reason']);
  }
  const now = deps.clock();
  const result = await deps.db.transaction(async (tx): Promise<SendResult> => {
    const c = await lockCase(tx, { id: first.caseId });
    let d = await lockDraft(tx, { id: req.draftId });
    if (!c || !d) throw new InvalidInput('That draft no longer exists.');
    if (req.override && d.findings.length > 0 && !d.approvedBy && !d.overrideBy && d.status !== 'sent' && d.status !== 'superseded') {
      d = await updateDraft(tx, { id: d.id, patch: { overrideBy: req.actor, overrideReason: req.override.reason.trim(), overrideAt: now } });
      await insertEvent(tx, {
        caseId: c.id,
        actor: req.actor,
        action: 'reply_override',
        data: { draftId: d.id, reason: req.override.reason.trim(), findings: d.findings.map((f) => f.rule) },
        at: now,
      });
      await enqueueReplyPost(tx, c, d.id, 'override', req.actor);
    }
    const mustEscalate = c.mustEscalateAt !== null || c.escalatedAt !== null;
    const refusal = sendRefusal(d, { mustEscalate }, { escalationConfirmed: req.confirmEscalation === true });
    if (refusal) return { queued: false, refusal, draft: d, ...(mustEscalate ? { reason: c.escalationReason ?? undefined } : {}) };
    if (!d.channel) return { queued: false, copy: true, draft: d };
    d = await updateDraft(tx, {
      id: d.id,
      patch: {
        status: 'sending',
        sentBy: req.actor,
        sendRequestedAt: now,
        lastError: null,
        ...(mustEscalate ? { escalationConfirmedBy: req.actor } : {}),
      },
    });
    await insertEvent(tx, { caseId: c.id, actor: req.actor, action: 'reply_send', data: { draftId: d.id, channel: d.channel, ...(mustEscalate ? { escalationConfirmed: true } : {}) }, at: now });
    // One send row per draft: the draft's status (sending → sent) makes a second delivery a no-op.
    await enqueue(tx, [{ kind: 'reply_send', caseId: c.id, channel: `reply:${d.channel}`, orderKey: `reply:${d.id}`, payload: { draftId: d.id }, priority: PRIORITY.interactive }]);
    await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
    return { queued: true, draft: d };
  });
  if (result.queued) deps.notify();
  deps.logger.info({ draftId: req.draftId, queued: result.queued }, 'reply send');
  return result;
}

/**
 * Staff sent the copy-ready text themselves (a channel Trustloop cannot send on): recorded as the
 * agent's reply, so the timeline and the response clocks know the customer was answered.
 */
export async function markCopiedSent(deps: ReplyDeps, params: { draftId: number; actor: string }): Promise<ReplyResult> {
  const draft = await requireDraft(deps.db, params.draftId);
  await requireTeam(deps, { caseId: draft.caseId, actor: params.actor, attempted: 'reply_copied', what: 'send replies', via: 'modal' });
  const result = await deps.db.transaction(async (tx): Promise<ReplyResult> => {
    const c = await lockCase(tx, { id: draft.caseId });
    const d = await lockDraft(tx, { id: params.draftId });
    if (!c || !d) throw new InvalidInput('That draft no longer exists.');
    const refusal = sendRefusal(d, { mustEscalate: false }, { escalationConfirmed: true });
    if (refusal) return { changed: false, notice: refusal.code === 'needs_second_person' ? 'This draft breaks a promise rule: it needs a second person’s approval first.' : 'This draft was already sent or replaced by a newer one.' };
    const updated = await recordSent(tx, deps, { c, d, actor: params.actor, via: 'copied', externalId: null });
    return { changed: true, draft: updated };
  });
  if (result.changed) deps.notify();
  return result;
}

/**
 * The reply reached the customer: the draft is sent, the text is on the timeline as the agent's
 * reply, and the first or next response is set. Runs in the caller's transaction (the delivery's).
 */
export async function recordSent(
  tx: Db,
  deps: Pick<Deps, 'clock' | 'config'>,
  params: { c: Case; d: ReplyDraftRow; actor: string; via: 'copied' | SendChannel; externalId: string | null },
): Promise<ReplyDraftRow> {
  const { c, d } = params;
  const now = deps.clock();
  const updated = await updateDraft(tx, { id: d.id, patch: { status: 'sent', sentAt: now, sentBy: d.sentBy ?? params.actor, externalId: params.externalId, lastError: null, sendingSince: null } });
  await insertMessage(tx, {
    caseId: c.id,
    direction: 'agent',
    authorSlackId: d.sentBy ?? params.actor,
    body: d.body,
    externalId: `reply-draft-${d.id}`,
    createdAt: now,
  });
  await updateCase(tx, { id: c.id, patch: slaPatch(deps.config.sla, c, { agentResponseAt: now }, now), now });
  await insertEvent(tx, { caseId: c.id, actor: d.sentBy ?? params.actor, action: 'reply_sent', data: { draftId: d.id, via: params.via, externalId: params.externalId }, at: now });
  await enqueueReplyPost(tx, c, d.id, params.via === 'copied' ? 'copied' : 'sent', d.sentBy ?? params.actor);
  await enqueueCardUpdate(tx, { caseId: c.id, channel: c.channelId });
  return updated;
}

/** The send failed for good (or keeps failing): the card and the thread say so; Send can be clicked again. */
export async function recordFailed(tx: Db, deps: Pick<Deps, 'clock'>, params: { c: Case; d: ReplyDraftRow; error: string }): Promise<void> {
  const now = deps.clock();
  await updateDraft(tx, { id: params.d.id, patch: { status: 'failed', lastError: params.error.slice(0, 500), sendingSince: null } });
  await insertEvent(tx, { caseId: params.c.id, actor: 'system', action: 'reply_failed', data: { draftId: params.d.id, error: params.error.slice(0, 500) }, at: now });
  await enqueueReplyPost(tx, params.c, params.d.id, 'failed', params.d.sentBy ?? 'system');
  await enqueueCardUpdate(tx, { caseId: params.c.id, channel: params.c.channelId });
}

/** A try failed but will be retried: the card shows the reason meanwhile. */
export async function recordRetry(db: Db, params: { c: Case; d: ReplyDraftRow; error: string }): Promise<void> {
  await updateDraft(db, { id: params.d.id, patch: { lastError: params.error.slice(0, 500) } });
  await enqueueCardUpdate(db, { caseId: params.c.id, channel: params.c.channelId });
}

export async function requireDraft(db: Db, id: number): Promise<ReplyDraftRow> {
  const d = await getDraft(db, { id });
  if (!d) throw new InvalidInput('That draft no longer exists.');
  return d;
}

/** The draft to copy by hand, with the team check, and the channel that would send it once set up. */
export async function draftToCopy(deps: ReplyDeps, params: { draftId: number; actor: string }): Promise<{ draft: ReplyDraftRow; missing: SendChannel | null }> {
  const d = await requireDraft(deps.db, params.draftId);
  await requireTeam(deps, { caseId: d.caseId, actor: params.actor, attempted: 'reply_copy', what: 'send replies', via: 'button' });
  const c = await requireCase(deps.db, d.caseId);
  const review = c.kind === 'review' ? await getReviewByCase(deps.db, { caseId: c.id }) : null;
  return { draft: d, missing: routeFor(c, review)?.channel ?? null };
}
