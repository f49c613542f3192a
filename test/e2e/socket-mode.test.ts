import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { ACTION } from '../../src/slack/ids';
import { cardOf, type Harness, PEOPLE, startHarness, ticket } from '../support/harness';

// Socket Mode (SLACK_APP_TOKEN set): Trustloop opens a WebSocket to the URL that
// apps.connections.open returns and receives interactions as envelopes it must acknowledge.

let h: Harness;
let wss: WebSocketServer;
let socket: WebSocket | null = null;
const received: { envelope_id: string; payload?: unknown }[] = [];

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  wss.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => received.push(JSON.parse(String(data))));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'double', approximate_connection_time: 3600 },
        connection_info: { app_id: 'A0TRUSTLP' },
      }),
    );
  });
  const port = (wss.address() as { port: number }).port;
  h = await startHarness({
    env: { SLACK_APP_TOKEN: 'xapp-1-A0TRUSTLP-socket', SLACK_SIGNING_SECRET: '' },
    beforeStart: (slack) => {
      slack.socketUrl = `ws://127.0.0.1:${port}/link`;
    },
  });
});

afterAll(async () => {
  await h?.stop();
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise((r) => wss?.close(r));
});

function envelope(id: string, type: string, payload: unknown) {
  socket!.send(
    JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }),
  );
}

describe('Socket Mode', () => {
  test('connects with the app-level token and works a card over the socket', async () => {
    const open = h.slack.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe('xapp-1-A0TRUSTLP-socket');
    expect(socket).not.toBeNull();
    // In Socket Mode, /slack/events is not served: Slack talks over the socket only.
    expect((await fetch(`${h.app.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);

    const res = await h.ingest(ticket());
    await h.settle();
    const card = cardOf(h.slack, res.body.id)!;
    envelope('env-claim-1', 'interactive', {
      type: 'block_actions',
      user: { id: PEOPLE.agent, username: 'agent', team_id: 'T0TEAM001' },
      team: { id: 'T0TEAM001', domain: 'acme-store' },
      api_app_id: 'A0TRUSTLP',
      container: { type: 'message', message_ts: card.ts, channel_id: card.channel },
      channel: { id: card.channel, name: 'support' },
      trigger_id: '1.2.3',
      response_url: h.slack.responseUrl('socket'),
      actions: [
        { action_id: ACTION.claim, block_id: 'case_actions', type: 'button', value: JSON.stringify({ c: res.body.id }), action_ts: '1' },
      ],
    });
    await h.slack.waitFor(() => received.find((r) => r.envelope_id === 'env-claim-1'), 5000, 'ack');
    const update = await h.slack.waitFor(() => h.slack.callsOf('chat.update').find((c) => c.args.ts === card.ts), 5000, 'card update');
    expect(JSON.stringify(update.args.blocks)).toContain(`Open · <@${PEOPLE.agent}>`);

    envelope('env-event-1', 'events_api', {
      type: 'event_callback',
      team_id: 'T0TEAM001',
      api_app_id: 'A0TRUSTLP',
      event_id: 'EvSOCKET1',
      event_time: 1,
      event: {
        type: 'reaction_added',
        user: PEOPLE.agent,
        reaction: 'white_check_mark',
        item: { type: 'message', channel: card.channel, ts: card.ts },
        event_ts: '2.0',
      },
      authorizations: [{ team_id: 'T0TEAM001', user_id: 'UBOT0001', is_bot: true }],
    });
    await h.slack.waitFor(() => received.find((r) => r.envelope_id === 'env-event-1'), 5000, 'event ack');
    await vi.waitFor(async () => expect((await h.api('GET', `/api/v1/tickets/${res.body.id}`)).body.status).toBe('resolved'), {
      timeout: 5000,
    });
  });
});
