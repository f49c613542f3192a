import { chartUpload } from '../../blocks/digest';
import { buildFixDm, fixLabels } from '../../blocks/fix-items';
import type { WorkspaceConfig } from '../config/workspace';
import { getDigest, getFixItem, setDigestChart, setDigestTs } from '../db/queries/digests';
import type { Digest } from '../db/schema';
import { renderTagChart } from './digest-chart';
import { CannotDeliver, type DeliveryContext, type DeliveryHandlers, SkipDelivery } from './dispatcher';

// How a published digest reaches Slack: the main message, then (in its thread, in order) the
// details and the chart; the chart last so that an upload that cannot go through holds nothing up. Everything is read from the stored digest, so a retry sends what was
// published, and the main message's ts is stored so each reply finds its thread.

async function loadDigest(ctx: DeliveryContext, id: number): Promise<Digest> {
  const digest = await getDigest(ctx.db, { id });
  if (!digest) throw new SkipDelivery('digest no longer exists');
  return digest;
}

async function loadPosted(ctx: DeliveryContext, id: number): Promise<Digest & { slackTs: string }> {
  const digest = await loadDigest(ctx, id);
  // Ordered behind the main message; no ts means that post failed, and this fails with it.
  if (!digest.slackTs) throw new CannotDeliver('digest_not_posted');
  return digest as Digest & { slackTs: string };
}

/** Whether the digest's thread already shows the file (channels:history / groups:history). */
async function chartInThread(ctx: DeliveryContext, digest: Digest & { slackTs: string }, fileId: string): Promise<boolean> {
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const res = await ctx.client.conversations.replies({
      channel: digest.channel,
      ts: digest.slackTs,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    if ((res.messages ?? []).some((m) => m.files?.some((f) => f.id === fileId))) return true;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return false;
}

export function digestDeliveryHandlers(config: WorkspaceConfig) {
  return {
    /** The owner's DM about a fix they were given, as the fix stands when it goes out. */
    async fix_dm(ctx, { fixId }) {
      const item = await getFixItem(ctx.db, { id: fixId });
      if (!item) throw new SkipDelivery('fix no longer exists');
      const dm = buildFixDm(item, fixLabels(config));
      const posted = await ctx.post({
        channel: ctx.row.channel,
        text: dm.text,
        blocks: dm.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { ts: posted.ts };
    },

    async digest_post(ctx, { digestId }) {
      const digest = await loadDigest(ctx, digestId);
      if (digest.slackTs) return { ts: digest.slackTs };
      const { main } = digest.content;
      const posted = await ctx.post({
        channel: digest.channel,
        text: main.text,
        blocks: main.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      await setDigestTs(ctx.db, { id: digest.id, channel: posted.channel, ts: posted.ts });
      return { ts: posted.ts };
    },

    async digest_chart(ctx, { digestId }) {
      const digest = await loadPosted(ctx, digestId);
      const { model } = digest.content;
      const { title, comment } = chartUpload(model);
      let fileId = digest.chartFileId;
      if (fileId) {
        // An earlier try uploaded the file; if its completion reached Slack (whatever Slack
        // answered), the chart is in the thread already and is not shared a second time.
        if (await chartInThread(ctx, digest, fileId)) return;
      } else {
        const png = await renderTagChart(model.chart, title);
        const filename = `trustloop-top-tags-${digest.weekStart}.png`;
        const target = await ctx.client.files.getUploadURLExternal({ filename, length: png.length });
        if (!target.upload_url || !target.file_id) throw new Error('files.getUploadURLExternal returned no upload URL');
        const uploaded = await fetch(target.upload_url, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
        if (!uploaded.ok) throw new Error(`upload to Slack answered ${uploaded.status}`);
        // Stored before completing, so that a retry can tell whether the completion got through.
        fileId = target.file_id;
        await setDigestChart(ctx.db, { id: digest.id, fileId });
      }
      await ctx.paced();
      await ctx.client.files.completeUploadExternal({
        files: [{ id: fileId, title }],
        channel_id: digest.channel,
        thread_ts: digest.slackTs,
        initial_comment: comment,
      });
    },

    async digest_thread(ctx, { digestId, index }) {
      const digest = await loadPosted(ctx, digestId);
      const message = digest.content.thread[index];
      if (!message) throw new SkipDelivery(`digest ${digest.id} has no thread message ${index}`);
      const posted = await ctx.post({
        channel: digest.channel,
        thread_ts: digest.slackTs,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
      return { ts: posted.ts };
    },
  } satisfies Partial<DeliveryHandlers>;
}
