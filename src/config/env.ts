import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { plainIssues } from './sentences';

// The only place that reads process.env. Everything else receives a typed Env.

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Empty means unset (a `.env` line such as `PORT=`), so the default applies rather than 0. */
const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/**
 * A whole number in a range. The value is quoted back (numbers here are never secrets) with what
 * it should be, so `PORT=abc` reads as a sentence rather than "expected number, received NaN".
 */
const int = (min: number, max: number, meaning: string) =>
  z.preprocess(
    blankIsUnset,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const n = Number(v.trim());
        if (!/^\s*-?\d+\s*$/.test(v) || n < min || n > max) {
          ctx.addIssue({ code: 'custom', message: `is "${v}", which is not ${meaning}` });
          return z.NEVER;
        }
        return n;
      }),
  );

/**
 * A secret that is really a shell command or a documentation placeholder. A `.env` file is not
 * run by a shell, so `INGEST_TOKEN=$(openssl rand -hex 32)` is that literal text, known to anyone
 * who read the README; `<your-token>` or `xoxb-...` are placeholders someone forgot to fill in.
 */
export function placeholderProblem(value: string, fix = GENERATE): string | null {
  if (/\$\(|\$\{|`/.test(value)) {
    return `looks like shell syntax ($(…), \${…} or backticks), but a .env file is not run by a shell: ${fix}`;
  }
  if (/^<.*>$|\.\.\.|…|^(change-?me|your[-_ ].*|replace[-_ ]?me|todo|x{3,})$/i.test(value)) {
    return `is a placeholder from the documentation, not a real value: ${fix}`;
  }
  return null;
}

const GENERATE = 'generate one (run `openssl rand -hex 32`) and paste the output';
const FROM_SLACK = 'copy the real value from your Slack app (api.slack.com/apps)';

/** Refuses placeholders and shell syntax in a secret (see placeholderProblem). */
const realSecret = <S extends z.ZodString>(check: S, fix = GENERATE) =>
  check.superRefine((v, ctx) => {
    const problem = placeholderProblem(v, fix);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Comma-separated secrets (several while one is being rotated); unset or blank: the provider is off. */
const secretList = (check: z.ZodString) =>
  optionalString.pipe(
    z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0),
      )
      .pipe(z.array(realSecret(check)).min(1))
      .optional(),
  );

const envShape = z.object({
  SLACK_BOT_TOKEN: realSecret(
    z
      .string({ error: 'is not set: install the Slack app (see README) and copy its Bot User OAuth Token (xoxb-…)' })
      .regex(/^xoxb-/, 'must be a bot token starting with xoxb- (Slack app → OAuth & Permissions → Bot User OAuth Token)'),
    FROM_SLACK,
  ),
  SLACK_SIGNING_SECRET: optionalString.pipe(realSecret(z.string(), FROM_SLACK).optional()),
  SLACK_APP_TOKEN: optionalString.pipe(
    realSecret(
      z.string().regex(/^xapp-/, 'must be an app-level token starting with xapp- (Slack app → Basic Information → App-Level Tokens)'),
      FROM_SLACK,
    ).optional(),
  ),
  SLACK_API_URL: optionalString.pipe(z.url('must be a URL such as https://slack.com/api/').optional()),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, or unset to use the embedded database')
      .optional(),
  ),
  TRUSTLOOP_DATA_DIR: z.preprocess(blankIsUnset, z.string().default('./data')),
  PORT: int(0, 65535, 'a port number: use a whole number from 0 to 65535, or leave it out for 3000').transform((v) => v ?? 3000),
  INGEST_TOKEN: realSecret(
    z
      .string({
        error: 'is not set: choose a long random string (for example `openssl rand -hex 32`) and give it to the systems that send tickets',
      })
      .min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`'),
  ),
  TRUSTLOOP_CONFIG: z.preprocess(blankIsUnset, z.string().default('./trustloop.yml')),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: (iss) => `is "${String(iss.input)}", which is not a log level: use debug, info, warn or error, or leave it out for info`,
      })
      .default('info'),
  ),
  // json: one JSON object per line (ISO time, level name), for a log collector; pretty: readable
  // lines (needs the development dependencies). Unset: pretty in development on a terminal, else json.
  LOG_FORMAT: z.preprocess(
    blankIsUnset,
    z
      .enum(['json', 'pretty'], {
        error: (iss) => `is "${String(iss.input)}", which is not a log format: use json or pretty, or leave it out`,
      })
      .optional(),
  ),
  NODE_ENV: optionalString,
  // Pacing of posts per Slack channel: Slack allows about one message per second per channel.
  SLACK_CHANNEL_INTERVAL_MS: int(
    0,
    60_000,
    'a gap in milliseconds: use a whole number from 0 to 60000, or leave it out for 1000',
  ).transform((v) => v ?? 1000),
  // How long a delivery may take before another replica (or a restart) takes it over. Keep it
  // well above a Slack call's 10 s timeout; short values are for tests.
  OUTBOX_LEASE_MS: int(
    1000,
    86_400_000,
    'a time in milliseconds: use a whole number of at least 1000 (keep it at 30000 or more), or leave it out for 60000',
  ).transform((v) => v ?? 60_000),
  // On SIGTERM, how long requests already in flight may take to finish before they are cut.
  SHUTDOWN_GRACE_MS: int(0, 120_000, 'a time in milliseconds: use a whole number from 0 to 120000, or leave it out for 10000').transform(
    (v) => v ?? 10_000,
  ),
  // Review and dispute providers. Each is optional: a provider whose secret is unset
  // has its webhook route answer 404 naming the variable. See src/ingest/providers/README.md.
  STRIPE_WEBHOOK_SECRET: secretList(
    z
      .string()
      .regex(
        /^whsec_/,
        'must be the endpoint signing secret starting with whsec_ (Stripe Dashboard → Developers → Webhooks → the endpoint → Signing secret)',
      ),
  ),
  // Optional: a restricted key (Charges: Read; Customers and PaymentIntents: Read) to look up a
  // disputed charge's customer, order and receipt. Unset: disputes show what the webhook says.
  STRIPE_API_KEY: optionalString.pipe(
    realSecret(
      z
        .string()
        .regex(
          /^(rk|sk)_(live|test)_[A-Za-z0-9]+$/,
          'must be a Stripe API key starting with rk_live_ or rk_test_ (Stripe Dashboard → Developers → API keys → Create restricted key)',
        ),
      'create a restricted key with Charges: Read, Customers: Read and PaymentIntents: Read',
    ).optional(),
  ),
  SHOPIFY_WEBHOOK_SECRET: secretList(
    z.string().min(8, 'must be the app client secret (Shopify Partners / Dev Dashboard → the app → Client credentials)'),
  ),
  // The order history import (`trustloop backfill shopify`): the shop and an Admin API access
  // token with read_orders and read_customers. Only that command reads them.
  SHOPIFY_SHOP_DOMAIN: optionalString.pipe(
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, 'must be the shop\'s myshopify.com domain, such as acme-linen.myshopify.com')
      .optional(),
  ),
  SHOPIFY_ADMIN_ACCESS_TOKEN: optionalString.pipe(
    realSecret(z.string().min(16, 'must be the Admin API access token (shpat_…)'), 'copy the Admin API access token from the app in Shopify admin → Settings → Apps and sales channels → Develop apps').optional(),
  ),
  /** The GraphQL endpoint to use instead of the shop's (tests, a proxy). */
  SHOPIFY_ADMIN_API_URL: optionalString.pipe(z.url('must be a URL such as https://acme-linen.myshopify.com/admin/api/2026-01/graphql.json').optional()),
  JUDGEME_WEBHOOK_SECRET: secretList(
    z.string().min(8, 'must be the Judge.me client secret or private API token the webhook was created with'),
  ),
  OKENDO_WEBHOOK_SECRET: secretList(
    z.string().regex(/^whsec_/, 'must be the Svix signing secret starting with whsec_ (Okendo → Integrations → Webhooks)'),
  ),
  TRUSTPILOT_WEBHOOK_TOKEN: secretList(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')),
  YOTPO_WEBHOOK_TOKEN: secretList(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')),
  // Helpdesks, inbound (tickets, messages, solved): the webhook secrets. The accounts and API
  // credentials the reply senders use (ZENDESK_SUBDOMAIN, …) are below.
  ZENDESK_WEBHOOK_SECRET: secretList(
    z
      .string()
      .min(
        8,
        "must be the webhook's signing secret (Zendesk Admin Center → Apps and integrations → Webhooks → the webhook → Signing secret)",
      ),
  ),
  HELPSCOUT_WEBHOOK_SECRET: secretList(
    z.string().min(8, 'must be the secret key typed in Help Scout (Manage → Apps → Webhooks → Secret Key)'),
  ),
  // Inbound e-mail: Postmark's inbound webhook URL carries this as its Basic auth password;
  // Mailgun signs with the account's HTTP webhook signing key.
  POSTMARK_INBOUND_TOKEN: secretList(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')),
  MAILGUN_WEBHOOK_SIGNING_KEY: secretList(
    z.string().min(8, 'must be the HTTP webhook signing key (Mailgun → Sending → Webhooks → HTTP webhook signing key)'),
  ),
  GORGIAS_WEBHOOK_TOKEN: secretList(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')),
  PAYPAL_WEBHOOK_ID: optionalString,
  // The one-click CSAT rating link: signs /csat/<token> links; unset, the link route is off.
  CSAT_LINK_SECRET: secretList(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')),
  // E-mail to customers (replies sent from a card, review requests): the store's SMTP account.
  // Unset: nothing is e-mailed, and replies offer copy-ready text instead of Send.
  SMTP_URL: optionalString.pipe(
    realSecret(
      z
        .string()
        .regex(
          /^smtps?:\/\/[^/\s]+/,
          'must be an smtp:// or smtps:// URL such as smtp://user:password@smtp.example.com:587 (password URL-encoded)',
        ),
      'copy the SMTP host, user and password from your e-mail provider',
    ).optional(),
  ),
  SMTP_FROM: optionalString,
  // Sending replies through the helpdesk or review platform a case came from. Each is optional:
  // a channel whose settings are unset offers copy-ready text instead of Send.
  ZENDESK_SUBDOMAIN: optionalString,
  ZENDESK_EMAIL: optionalString,
  ZENDESK_API_TOKEN: optionalString.pipe(realSecret(z.string(), 'create an API token in Zendesk Admin Center → Apps and integrations → APIs').optional()),
  HELPSCOUT_APP_ID: optionalString,
  HELPSCOUT_APP_SECRET: optionalString.pipe(realSecret(z.string(), 'create an app in Help Scout → Your Profile → My Apps').optional()),
  GORGIAS_DOMAIN: optionalString,
  GORGIAS_EMAIL: optionalString,
  GORGIAS_API_KEY: optionalString.pipe(realSecret(z.string(), 'copy the API key from Gorgias → Settings → REST API').optional()),
  JUDGEME_API_TOKEN: optionalString.pipe(realSecret(z.string(), 'copy the private API token from Judge.me → Settings → Integrations').optional()),
  JUDGEME_SHOP_DOMAIN: optionalString,
  /** Judge.me's address to use instead of https://judge.me (tests, a proxy). */
  JUDGEME_API_URL: optionalString.pipe(z.url('must be a URL such as https://judge.me').optional()),
  YOTPO_APP_KEY: optionalString,
  YOTPO_SECRET_KEY: optionalString.pipe(realSecret(z.string(), 'copy the secret key from Yotpo → Store settings').optional()),
  TRUSTPILOT_ACCESS_TOKEN: optionalString.pipe(realSecret(z.string(), 'create a business user access token in Trustpilot Business').optional()),
  TRUSTPILOT_BUSINESS_USER_ID: optionalString,
  // Optional AI drafting in the composer: an OpenAI-compatible chat completions endpoint (a local
  // Ollama at http://127.0.0.1:11434/v1, or a hosted model). Off unless the URL and the model are
  // set: nothing about a case leaves the machine otherwise. The key is sent as a bearer token.
  DRAFT_MODEL_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be the http(s) base address of an OpenAI-compatible API, such as http://127.0.0.1:11434/v1' }).optional()),
  DRAFT_MODEL_API_KEY: optionalString.pipe(realSecret(z.string(), 'copy the API key of the model provider (a local Ollama needs none)').optional()),
  DRAFT_MODEL: optionalString,
  DRAFT_MODEL_TIMEOUT_MS: int(1000, 120_000, 'a time in milliseconds: use a whole number from 1000 to 120000, or leave it out for 20000').transform(
    (v) => v ?? 20_000,
  ),
  // Links in e-mails to customers (unsubscribe from review requests, answer a usage-rights request):
  // the public address they point at, and the secret that signs them. Unset: those links are off.
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/, error: 'must be the http(s) address Trustloop is reachable at, such as https://trustloop.example.com' }).optional()),
  CUSTOMER_LINK_SECRET: secretList(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')),
  // GET /metrics (Prometheus): off unless set; the scraper sends it as a bearer token.
  METRICS_TOKEN: optionalString.pipe(
    realSecret(z.string().min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`')).optional(),
  ),
  /** PayPal's signing certificate(s) as PEM text (\n escapes allowed), or PAYPAL_CERT_FILE. */
  PAYPAL_CERT_PEM: optionalString.transform((v) => v?.replace(/\\n/g, '\n')),
  PAYPAL_CERT_FILE: optionalString,
});

export const envSchema = envShape.superRefine(
  (env, ctx) => {
    const paypalCert = env.PAYPAL_CERT_PEM ?? env.PAYPAL_CERT_FILE;
    if (env.PAYPAL_WEBHOOK_ID && !paypalCert) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYPAL_CERT_FILE'],
        message:
          "is not set: PayPal deliveries are verified offline against PayPal's signing certificate; save it (the PEM from PAYPAL-CERT-URL) and point PAYPAL_CERT_FILE at it",
      });
    }
    if (paypalCert && !env.PAYPAL_WEBHOOK_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['PAYPAL_WEBHOOK_ID'],
        message: 'is not set: copy the webhook ID from PayPal Developer Dashboard → Apps & Credentials → the app → Webhooks',
      });
    }
    if (env.SMTP_URL && !env.SMTP_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_FROM'],
        message: 'is not set: e-mail needs the From address customers see and answer to, such as "Acme Linen <support@acme.example>"',
      });
    }
    if (Boolean(env.DRAFT_MODEL_URL) !== Boolean(env.DRAFT_MODEL)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.DRAFT_MODEL_URL ? 'DRAFT_MODEL' : 'DRAFT_MODEL_URL'],
        message: 'is not set: AI drafting needs both the endpoint (DRAFT_MODEL_URL) and the model name (DRAFT_MODEL), or neither',
      });
    }
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'is not set: HTTP mode needs the Signing Secret (Slack app → Basic Information), or set SLACK_APP_TOKEN to use Socket Mode',
      });
    }
    // Checked even when another setting failed, so these are reported in the same run.
  },
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

export type Env = z.infer<typeof envSchema>;

export interface EnvProblem {
  variable: string;
  detail: string;
}

/** Every bad setting at once, so a first start does not turn into one restart per mistake. */
export class EnvError extends Error {
  constructor(readonly problems: EnvProblem[]) {
    super(problems.map((p) => `${p.variable} ${p.detail}`).join('\n'));
    this.name = 'EnvError';
  }
  get variable(): string {
    return this.problems[0]!.variable;
  }
  get detail(): string {
    return this.problems[0]!.detail;
  }
}

const MISSING = 'is not set';

function envProblems(error: z.ZodError, source: NodeJS.ProcessEnv): EnvProblem[] {
  const problems: EnvProblem[] = [];
  for (const issue of error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    // One sentence per setting: a value refused twice (too short and a placeholder) needs one fix.
    if (problems.some((p) => p.variable === variable)) continue;
    const received = source[variable];
    const detail = received === undefined && !issue.message.startsWith(MISSING) ? `${MISSING}` : issue.message;
    problems.push({ variable, detail });
  }
  return problems;
}

/** Parses the environment; every bad variable is reported, each naming itself and its fix. */
export function checkEnv(
  source: NodeJS.ProcessEnv = process.env,
): { env: Env; problems: [] } | { env?: undefined; problems: EnvProblem[] } {
  const result = envSchema.safeParse(source, { error: plainIssues(MISSING) });
  if (result.success) return { env: result.data, problems: [] };
  return { problems: envProblems(result.error, source) };
}

/** Parses the environment once; any bad variable becomes an EnvError naming all of them. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const checked = checkEnv(source);
  if (checked.env) return checked.env;
  throw new EnvError(checked.problems);
}

/**
 * Loads `.env` from the working directory when present; variables already set win.
 * TRUSTLOOP_ENV_FILE names another file, or, set empty, turns the file off (the test suite does, so
 * a developer's own `.env` never leaks into it).
 */
export function loadDotEnv(file = process.env.TRUSTLOOP_ENV_FILE ?? '.env'): void {
  if (!file || !existsSync(file)) return;
  if (typeof process.loadEnvFile === 'function') {
    process.loadEnvFile(file);
    return;
  }
  // Node 20 before 20.12 has no .env parser: read plain KEY=value lines.
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const value = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[m[1]!] === undefined) process.env[m[1]!] = value;
  }
}

/** The settings the operator commands need (no Slack tokens): where the database and the config are. */
export const operatorEnvSchema = z.object({
  DATABASE_URL: envShape.shape.DATABASE_URL,
  TRUSTLOOP_DATA_DIR: envShape.shape.TRUSTLOOP_DATA_DIR,
  TRUSTLOOP_CONFIG: envShape.shape.TRUSTLOOP_CONFIG,
});

/** What `trustloop backfill shopify` needs besides the database: the shop and its Admin API token. */
export const shopifyAdminEnvSchema = operatorEnvSchema.extend({
  SHOPIFY_SHOP_DOMAIN: envShape.shape.SHOPIFY_SHOP_DOMAIN.pipe(
    z.string({ error: 'is not set: the shop\'s myshopify.com domain, such as acme-linen.myshopify.com' }),
  ),
  SHOPIFY_ADMIN_ACCESS_TOKEN: envShape.shape.SHOPIFY_ADMIN_ACCESS_TOKEN.pipe(
    z.string({ error: 'is not set: an Admin API access token (shpat_…) with the read_orders and read_customers scopes' }),
  ),
  SHOPIFY_ADMIN_API_URL: envShape.shape.SHOPIFY_ADMIN_API_URL,
});

export function loadShopifyAdminEnv(source: NodeJS.ProcessEnv = process.env): z.infer<typeof shopifyAdminEnvSchema> {
  const result = shopifyAdminEnvSchema.safeParse(source, { error: plainIssues(MISSING) });
  if (result.success) return result.data;
  throw new EnvError(envProblems(result.error, source));
}

export function loadOperatorEnv(source: NodeJS.ProcessEnv = process.env): z.infer<typeof operatorEnvSchema> {
  const result = operatorEnvSchema.safeParse(source, { error: plainIssues(MISSING) });
  if (result.success) return result.data;
  throw new EnvError(envProblems(result.error, source));
}
