import { existsSync } from 'node:fs';
import { z } from 'zod';

// The only place that reads process.env. Everything else receives a typed Env.

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const port = z.coerce.number().int().min(0).max(65535);

export const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string({ error: 'is not set: install the Slack app (see README) and copy its Bot User OAuth Token (xoxb-…)' })
      .regex(/^xox[bp]-/, 'must be a bot token starting with xoxb- (Slack app → OAuth & Permissions)'),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.pipe(
      z
        .string()
        .regex(/^xapp-/, 'must be an app-level token starting with xapp- (Slack app → Basic Information → App-Level Tokens)')
        .optional(),
    ),
    SLACK_API_URL: optionalString.pipe(z.url('must be a URL such as https://slack.com/api/').optional()),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL, or unset to use the embedded database')
        .optional(),
    ),
    TRUSTLOOP_DATA_DIR: z.string().default('./data'),
    PORT: port.default(3000),
    INGEST_TOKEN: z
      .string({ error: 'is not set: choose a long random string (for example `openssl rand -hex 32`) and give it to the systems that send tickets' })
      .min(16, 'must be at least 16 characters; generate one with `openssl rand -hex 32`'),
    TRUSTLOOP_CONFIG: z.string().default('./trustloop.yml'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Pacing of posts per Slack channel: Slack allows about one message per second per channel.
    SLACK_CHANNEL_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
    // How long a delivery may take before another replica (or a restart) takes it over.
    OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'is not set: HTTP mode needs the Signing Secret (Slack app → Basic Information), or set SLACK_APP_TOKEN to use Socket Mode',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly variable: string, readonly detail: string) {
    super(`${variable} ${detail}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment once; the first bad variable becomes an EnvError naming it. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  const received = source[variable];
  const detail = received === undefined && !issue.message.startsWith('is not set') ? 'is not set' : issue.message;
  throw new EnvError(variable, detail);
}

/** Loads `.env` from the working directory when present (Node ≥ 20.12 has a parser built in). */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
