import { App, HTTPReceiver } from '@slack/bolt';

// The baseline for click acks: a Bolt app that only acknowledges, on the same receiver settings.
const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET!, processBeforeResponse: false });
const app = new App({
  receiver,
  authorize: async () => ({ botToken: 'xoxb-bare', botId: 'B1', botUserId: 'U1', teamId: 'T0TEAM001' }),
  convoStore: false,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
await app.start(Number(process.env.PORT));
