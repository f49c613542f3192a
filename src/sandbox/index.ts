import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartupError, startTrustloop, type Trustloop } from '../app';
import { loadEnv } from '../config/env';
import { workspaceConfigSchema } from '../config/workspace';
import { projectRoot } from '../db/client';
import { ACTION, BLOCK } from '../slack/ids';
import { loadSampleData, type SampleSecrets } from './sample-data';
import { SandboxSlack } from './slack/workspace';

// Sandbox mode: `npm start` on a fresh clone, with no Slack settings at all, runs the real app
// against a local stand-in for Slack that a person uses in a browser, with a sample store's data.
// It never contacts Slack or a provider, listens on 127.0.0.1 only, and keeps its data apart
// (TRUSTLOOP_DATA_DIR/sandbox), so connecting a real workspace later starts clean.

const SLACK_SETTINGS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;

/** No Slack setting at all (blank counts as unset): the sandbox. Any one of them: the real thing, as before. */
export function sandboxRequested(source: NodeJS.ProcessEnv): boolean {
  return SLACK_SETTINGS.every((name) => !source[name]?.trim());
}

export const SANDBOX_PEOPLE = [
  { id: 'U0SBAGENT1', name: 'Alex', role: 'agent' },
  { id: 'U0SBMANAGR', name: 'Morgan', role: 'manager' },
  { id: 'U0SBOUTSDR', name: 'Olive', role: 'outsider, not on the team' },
];

export const SANDBOX_CHANNELS = {
  support: 'C0SBSUPPRT',
  liveChat: 'C0SBCHAT01',
  social: 'C0SBSOCIAL',
  reviews: 'C0SBREVIEW',
  disputes: 'C0SBDISPUT',
  escalation: 'C0SBESCALA',
  digest: 'C0SBDIGEST',
  ugc: 'C0SBUGC001',
};

const CHANNEL_NAMES: Record<string, string> = {
  [SANDBOX_CHANNELS.support]: 'support',
  [SANDBOX_CHANNELS.liveChat]: 'live-chat',
  [SANDBOX_CHANNELS.social]: 'social',
  [SANDBOX_CHANNELS.reviews]: 'reviews',
  [SANDBOX_CHANNELS.disputes]: 'disputes',
  [SANDBOX_CHANNELS.escalation]: 'escalation',
  [SANDBOX_CHANNELS.digest]: 'digest',
  [SANDBOX_CHANNELS.ugc]: 'ugc',
};

/** Sample cases the agent has already resolved when the sandbox opens (their subjects). */
const RESOLVED_SAMPLES = [
  'Where is my order?',
  'Tracking?',
  'Encomenda danificada',
  'Rücksendung',
  'Wrong size delivered',
  'Duvet cover sizes',
  'Colis abîmé',
];

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 60_000): Promise<T | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const SANDBOX_NOTICE =
  'Sandbox: a local stand-in for Slack with a sample store. Every customer, review and dispute here is sample data; nothing is sent to Slack or to any provider.';

export function sandboxConfig() {
  const c = SANDBOX_CHANNELS;
  return workspaceConfigSchema.parse({
    store: { name: 'Sample Store (sandbox)', timezone: 'Europe/Berlin' },
    channels: {
      default: c.support,
      sources: { email: c.support, live_chat: c.liveChat, social_dm: c.social, comment: c.social, marketplace: c.support },
      escalation: c.escalation,
      reviews: c.reviews,
      disputes: c.disputes,
      ugc: c.ugc,
      supply_chain: c.escalation,
      digest: c.digest,
    },
    team: { members: [SANDBOX_PEOPLE[0]!.id], managers: [SANDBOX_PEOPLE[1]!.id] },
    reviews: { official_channel: 'help@sample-store.example' },
    disputes: {
      policy_urls: { refund: 'https://sample-store.example/policies/refund', shipping: 'https://sample-store.example/policies/shipping' },
    },
  });
}

interface StoredSecrets {
  ingestToken: string;
  signingSecret: string;
  stripe: string;
  judgeme: string;
  trustpilot: string;
  csat: string;
}

/** The sandbox's own secrets, generated once and kept in its data folder. */
function secretsIn(dir: string): StoredSecrets {
  const file = path.join(dir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  const hex = () => randomBytes(24).toString('hex');
  const secrets = { ingestToken: hex(), signingSecret: hex(), stripe: `whsec_${hex()}`, judgeme: hex(), trustpilot: hex(), csat: hex() };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export function sandboxDir(source: NodeJS.ProcessEnv): string {
  return path.resolve(source.TRUSTLOOP_DATA_DIR?.trim() || './data', 'sandbox');
}

/** Deletes the sandbox's data (cases, messages, secrets); the next start loads fresh sample data. */
export function resetSandbox(source: NodeJS.ProcessEnv): string {
  const dir = sandboxDir(source);
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

export interface Sandbox {
  pageUrl: string;
  app: () => Trustloop;
  slack: SandboxSlack;
  /** Settles once the sample data has been handed to the app. */
  seeded(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandbox(
  source: NodeJS.ProcessEnv,
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<Sandbox> {
  const root = projectRoot();
  const paypalDir = path.join(root, 'src', 'sandbox', 'paypal');
  const channels = Object.entries(CHANNEL_NAMES).map(([id, name]) => ({ id, name }));
  const slack = new SandboxSlack(SANDBOX_PEOPLE, channels, path.join(root, 'src', 'sandbox', 'page'), SANDBOX_NOTICE);
  const pagePort = source.PORT?.trim() ? Number(source.PORT) : 3000;
  await slack.start(pagePort).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EADDRINUSE' ? new StartupError('PORT', `${pagePort} is already in use; set PORT to a free port`) : err;
  });
  const dir = sandboxDir(source);

  let seeding: Promise<void> = Promise.resolve();
  /**
   * The week's history needs finished work too: the agent claims and resolves the oldest sample
   * cases with real clicks, so resolution times, the metrics and the digest have figures.
   */
  const resolveOldCases = async () => {
    const agent = SANDBOX_PEOPLE[0]!.id;
    for (const subject of RESOLVED_SAMPLES) {
      const card = await waitFor(() =>
        slack.messages.find(
          (m) => !m.thread_ts && m.blocks?.some((b) => b.block_id === BLOCK.header && String(b.text?.text).endsWith(subject)),
        ),
      );
      if (!card || !(await slack.clickButton(agent, card, ACTION.claim))) continue;
      // The claimed card is redrawn before it offers Resolve to its owner.
      const claimed = await waitFor(() => (JSON.stringify(card.blocks).includes(`<@${agent}>`) ? card : undefined));
      if (claimed) await slack.clickButton(agent, claimed, ACTION.resolve);
    }
  };
  const seed = async (appUrl: string, secrets: StoredSecrets, paypalWebhookId: string) => {
    const seeded = path.join(dir, 'seeded');
    if (existsSync(seeded)) return;
    const sample: SampleSecrets = {
      ingestToken: secrets.ingestToken,
      stripe: secrets.stripe,
      judgeme: secrets.judgeme,
      trustpilot: secrets.trustpilot,
      paypalWebhookId,
      paypalKey: readFileSync(path.join(paypalDir, 'SANDBOX-ONLY-signing-key.pem'), 'utf8'),
    };
    const result = await loadSampleData(appUrl, new Date(), sample);
    for (const r of result.refused) out(`trustloop sandbox: sample delivery refused: ${r}`);
    await resolveOldCases();
    writeFileSync(seeded, new Date().toISOString());
  };

  const launch = async (): Promise<Trustloop> => {
    mkdirSync(dir, { recursive: true });
    const secrets = secretsIn(dir);
    slack.persistIn(path.join(dir, 'slack.json'));
    const env = loadEnv({
      SLACK_BOT_TOKEN: 'xoxb-sandbox',
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_API_URL: slack.url,
      INGEST_TOKEN: secrets.ingestToken,
      TRUSTLOOP_DATA_DIR: dir,
      PORT: '0',
      LOG_LEVEL: source.LOG_LEVEL?.trim() || 'warn',
      STRIPE_WEBHOOK_SECRET: secrets.stripe,
      JUDGEME_WEBHOOK_SECRET: secrets.judgeme,
      TRUSTPILOT_WEBHOOK_TOKEN: secrets.trustpilot,
      PAYPAL_WEBHOOK_ID: 'SANDBOX-WEBHOOK-ID',
      PAYPAL_CERT_FILE: path.join(paypalDir, 'SANDBOX-ONLY-signing-cert.pem'),
      CSAT_LINK_SECRET: secrets.csat,
    });
    const app = await startTrustloop({ env, config: sandboxConfig(), host: '127.0.0.1' });
    slack.connect({ eventsUrl: `${app.url}/slack/events`, signingSecret: secrets.signingSecret });
    // The sample store arrives in the background, through the app's routes, while the page is already up.
    seeding = seed(app.url, secrets, env.PAYPAL_WEBHOOK_ID!).catch((err: Error) =>
      out(`trustloop sandbox: sample data could not be loaded: ${err.message}`),
    );
    return app;
  };

  let app = await launch();
  slack.onReset = async () => {
    await seeding;
    await app.stop();
    slack.saveNow();
    resetSandbox(source);
    slack.clear();
    app = await launch();
  };
  const pageUrl = `http://127.0.0.1:${slack.port}/`;
  out('');
  out('Trustloop is running in SANDBOX mode: no Slack settings were found, so it uses a local stand-in for Slack');
  out('with a sample store. Nothing is sent to Slack or to any provider; everything listens on 127.0.0.1 only.');
  out('');
  out(`  Open ${pageUrl} in a browser: pick Alex (agent), Morgan (manager) or Olive (outsider) and try the cards.`);
  out(`  The app's API: ${app.url} (ingest token in ${path.join(dir, 'secrets.json')})`);
  out('  Start over: npm run sandbox:reset (or the button on the page).');
  out('');
  out('  To connect your real Slack workspace: create the app from manifest.yml, put SLACK_BOT_TOKEN,');
  out('  SLACK_SIGNING_SECRET and INGEST_TOKEN in .env, and run npm start again (README → Set up).');
  out('');
  return {
    pageUrl,
    app: () => app,
    slack,
    seeded: () => seeding,
    async stop() {
      await seeding;
      await app.stop();
      await slack.stop();
    },
  };
}
