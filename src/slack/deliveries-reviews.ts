import { buildClusterAlert, buildClusterFollowup } from '../../blocks/cluster-alert';
import { evidenceUpload } from '../../blocks/dispute-evidence';
import { buildReviewLead, buildUgcPost } from '../../blocks/ugc';
import { latestConsentRequest } from '../db/queries/ugc';
import { cardPermalink, caseRef } from '../domain/case';
import { buildEvidenceDocument, evidenceFilename } from '../domain/evidence-document';
import { getCase, listMessages } from '../db/queries/cases';
import { clusterCases, getClusterAlert, setClusterAlertTs } from '../db/queries/clusters';
import type { Db } from '../db/client';
import { completeExport, getDisputeByCase, getExport, recordExportUpload } from '../db/queries/disputes';
import { enqueueCardUpdate } from '../db/queries/outbox';
import { getReview, updateReview } from '../db/queries/reviews';
import type { Case, Dispute } from '../db/schema';
import { loadDisputeEvidence } from '../services/disputes/held-evidence';
import { CannotDeliver, type DeliveryHandlers, SkipDelivery } from './dispatcher';
import type { DeliveryDeps } from './deliveries';
import { sendWithImageFallback } from './render-cases';

// Outbox kinds of reviews and disputes: UGC posts and their updates, cluster alerts and their follow-ups, and
// the dispute evidence export (one Markdown file uploaded to the card's thread through Slack's
// three-step upload: files.getUploadURLExternal, POST to the upload URL, files.completeUploadExternal).

export function reviewDeliveryHandlers(deps: DeliveryDeps) {
  return {
    async ugc_post(ctx, { reviewId }) {
      const r = await getReview(ctx.db, { id: reviewId });
      if (!r) throw new SkipDelivery('review no longer exists');
      if (r.ugcTs) return { ts: r.ugcTs };
      const msg = buildUgcPost(r, { request: await latestConsentRequest(ctx.db, { reviewId: r.id }), now: deps.clock() });
      const posted = await sendWithImageFallback(msg.blocks, (blocks) =>
        ctx.post({ channel: ctx.row.channel, text: msg.text, blocks, unfurl_links: false, unfurl_media: false }),
      );
      await updateReview(ctx.db, { id: r.id, patch: { ugcChannel: posted.channel, ugcTs: posted.ts } });
      return { ts: posted.ts };
    },

    async review_lead(ctx, { reviewId }) {
      const r = await getReview(ctx.db, { id: reviewId });
      if (!r) throw new SkipDelivery('review no longer exists');
      if (r.leadTs) return { ts: r.leadTs };
      const msg = buildReviewLead(r);
      const posted = await ctx.post({
        channel: ctx.row.channel,
        text: msg.text,
        blocks: msg.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      await updateReview(ctx.db, { id: r.id, patch: { leadChannel: posted.channel, leadTs: posted.ts } });
      return { ts: posted.ts };
    },

    async ugc_update(ctx, { reviewId }) {
      const r = await getReview(ctx.db, { id: reviewId });
      if (!r) throw new SkipDelivery('review no longer exists');
      if (!r.ugcTs || !r.ugcChannel) throw new CannotDeliver('ugc_not_posted');
      const msg = buildUgcPost(r, { request: await latestConsentRequest(ctx.db, { reviewId: r.id }), now: deps.clock() });
      await ctx.paced();
      await sendWithImageFallback(msg.blocks, (blocks) =>
        ctx.client.chat.update({ channel: r.ugcChannel!, ts: r.ugcTs!, text: msg.text, blocks }),
      );
      return { ts: r.ugcTs };
    },

    async cluster_alert(ctx, { alertId }) {
      const alert = await getClusterAlert(ctx.db, { id: alertId });
      if (!alert) throw new SkipDelivery('cluster alert no longer exists');
      if (alert.slackTs) return { ts: alert.slackTs };
      const { count, days } = deps.config.reviews.cluster;
      const cases = await clusterCases(ctx.db, { ids: alert.caseIds });
      const msg = buildClusterAlert({ alert, cases, count, days, tags: deps.config.tags, teamUrl: deps.teamUrl() });
      const posted = await ctx.post({
        channel: ctx.row.channel,
        text: msg.text,
        blocks: msg.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      await setClusterAlertTs(ctx.db, { id: alert.id, ts: posted.ts });
      return { ts: posted.ts };
    },

    async cluster_followup(ctx, { alertId, caseIds }) {
      const alert = await getClusterAlert(ctx.db, { id: alertId });
      if (!alert) throw new SkipDelivery('cluster alert no longer exists');
      // Queued behind the alert post (same order key): no ts means that post failed.
      if (!alert.slackTs) throw new CannotDeliver('cluster_alert_not_posted');
      const cases = await clusterCases(ctx.db, { ids: caseIds });
      const msg = buildClusterFollowup({
        label: alert.productLabel,
        cases,
        total: alert.caseIds.length,
        tags: deps.config.tags,
        teamUrl: deps.teamUrl(),
      });
      const posted = await ctx.post({
        channel: alert.channel,
        thread_ts: alert.slackTs,
        text: msg.text,
        blocks: msg.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { ts: posted.ts };
    },

    async evidence_export(ctx, { exportId }) {
      const exp = await getExport(ctx.db, { id: exportId });
      if (!exp) throw new SkipDelivery('export no longer exists');
      if (exp.completedAt) return;
      const c = ctx.row.caseId ? await getCase(ctx.db, { id: ctx.row.caseId }) : null;
      if (!c) throw new SkipDelivery('case no longer exists');
      if (!c.slackTs) throw new CannotDeliver('card_not_posted');
      const d = await getDisputeByCase(ctx.db, { caseId: c.id });
      if (!d) throw new SkipDelivery('dispute no longer exists');
      const now = deps.clock();
      // One document per export: a retry after the upload (Slack failed to answer the sharing
      // call, or the process stopped) shares the file already uploaded instead of uploading again.
      let fileId = exp.fileId;
      if (!fileId) {
        const bytes = Buffer.from(await evidenceMarkdown(deps, ctx.db, c, d, exp.requestedBy, now), 'utf8');
        const target = await ctx.client.files.getUploadURLExternal({ filename: evidenceFilename(caseRef(c.id), d), length: bytes.length });
        if (!target.upload_url || !target.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
        const uploaded = await fetch(target.upload_url, {
          method: 'POST',
          headers: { 'content-type': 'text/markdown; charset=utf-8' },
          body: bytes,
        });
        if (!uploaded.ok) throw new Error(`upload to Slack answered ${uploaded.status}`);
        fileId = target.file_id;
        await recordExportUpload(ctx.db, { id: exp.id, fileId, bytes: bytes.length });
      }
      await ctx.paced();
      const upload = evidenceUpload({ caseId: c.id, requestedBy: exp.requestedBy, provider: d.provider });
      await ctx.client.files.completeUploadExternal({
        files: [{ id: fileId, title: upload.title }],
        channel_id: c.channelId,
        thread_ts: c.slackTs,
        initial_comment: upload.comment,
      });
      await completeExport(ctx.db, { id: exp.id, at: now });
      await enqueueCardUpdate(ctx.db, { caseId: c.id, channel: c.channelId });
    },
  } satisfies Partial<DeliveryHandlers>;
}

/** The evidence document (Markdown) from the dispute's current data. */
async function evidenceMarkdown(deps: DeliveryDeps, db: Db, c: Case, d: Dispute, requestedBy: string, now: Date): Promise<string> {
  const evidence = await loadDisputeEvidence(db, deps.config, c, d);
  const teamUrl = deps.teamUrl();
  const links: Record<string, string> = {};
  for (const r of evidence.related) {
    const url = cardPermalink(teamUrl, r.channelId, r.slackTs);
    if (url) links[caseRef(r.id)] = url;
  }
  const communication = [];
  for (const r of evidence.held.communication.slice(0, 10)) {
    const messages = await listMessages(db, { caseId: r.id });
    communication.push({
      caseRef: caseRef(r.id),
      kind: r.kind,
      subject: r.subject,
      receivedAt: r.receivedAt,
      messages: messages.map((m) => ({ direction: m.direction, author: m.authorName, at: m.createdAt, body: m.body })),
    });
  }
  const o = evidence.held.orderCase;
  const markdown = buildEvidenceDocument({
    storeName: deps.config.store.name,
    caseRef: caseRef(c.id),
    generatedAt: now,
    generatedBy: requestedBy,
    dispute: {
      provider: d.provider,
      externalId: d.externalId,
      stage: d.stage,
      state: d.state,
      reasonCode: d.reasonCode,
      reasonText: d.reasonText,
      amount: d.amount,
      currency: d.currency,
      respondBy: d.respondBy,
      openedAt: d.openedAt,
      orderRef: d.orderRef,
      chargeRef: d.chargeRef,
      customerEmail: d.customerEmail,
    },
    lines: evidence.lines,
    order: o
      ? {
          caseRef: caseRef(o.id),
          orderId: o.orderId,
          amount: o.orderAmount,
          currency: o.orderCurrency,
          country: o.orderCountry,
          items: (o.orderItems ?? []).map((i) => ({ ...i, quantity: i.quantity ?? 1 })),
          customerName: o.customerName,
          customerEmail: o.customerEmail,
        }
      : null,
    communication,
    policies: deps.config.disputes.policy_urls,
    links,
  });
  return markdown;
}
