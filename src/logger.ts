import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

// Structured logs, one line per request or job. In production: JSON with an ISO time and the
// level's name, for a log collector. In development on a terminal: readable lines (pino-pretty, a
// development dependency the production image does not have). Customer emails, tokens and
// message bodies are never logged at info; the masking below is a safety net, not the mechanism.

export type LogFormat = 'json' | 'pretty';

/**
 * Field names whose value is a secret wherever they appear (a logged env or config, a request's
 * headers, a provider's settings): the settings' own names and the usual lower-case ones.
 */
const SECRET_FIELDS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'INGEST_TOKEN',
  'METRICS_TOKEN',
  'CSAT_LINK_SECRET',
  'DATABASE_URL',
  'SMTP_URL',
  'STRIPE_API_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'SHOPIFY_WEBHOOK_SECRET',
  'JUDGEME_WEBHOOK_SECRET',
  'OKENDO_WEBHOOK_SECRET',
  'TRUSTPILOT_WEBHOOK_TOKEN',
  'YOTPO_WEBHOOK_TOKEN',
  'ZENDESK_WEBHOOK_SECRET',
  'HELPSCOUT_WEBHOOK_SECRET',
  'POSTMARK_INBOUND_TOKEN',
  'MAILGUN_WEBHOOK_SIGNING_KEY',
  'GORGIAS_WEBHOOK_TOKEN',
  'ZENDESK_API_TOKEN',
  'HELPSCOUT_APP_SECRET',
  'GORGIAS_API_KEY',
  'JUDGEME_API_TOKEN',
  'PAYPAL_CLIENT_SECRET',
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'password',
  'pass',
  'apiKey',
  'authorization',
  'Authorization',
  'cookie',
  'x-slack-signature',
  'x-shopify-hmac-sha256',
  'x-zendesk-webhook-signature',
  'x-helpscout-signature',
  'stripe-signature',
  'databaseUrl',
  'smtpUrl',
  'email',
  'customerEmail',
];

const SECRET_KEYS = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));
/** How deep a logged object is looked through (`env.X`, `req.headers.authorization`, `config.slack.botToken`). */
const MAX_DEPTH = 5;

// Secrets that show up inside text (an error message quoting a URL, a token pasted in a message).
const SECRET_IN_TEXT: [RegExp, string][] = [
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]+@/gi, '$1:[redacted]@'],
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, '[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, '[redacted]'],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, '[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
];

export function scrubSecrets(text: string): string {
  return SECRET_IN_TEXT.reduce((t, [pattern, replacement]) => t.replace(pattern, replacement), text);
}

/**
 * The logged object with every secret field's value masked and secrets inside text replaced,
 * in one walk (pino's own redaction, given every field name at every depth, cost 40 times more).
 */
function scrubValue(value: unknown, depth: number, parent = ''): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1, parent));
  const isError = value instanceof Error;
  if (!isError && Object.getPrototypeOf(value) !== Object.prototype) return value;
  // An error keeps its class (pino's serializer names it) with its message, stack and fields scrubbed.
  const out = (isError ? Object.create(Object.getPrototypeOf(value) as object) : {}) as Record<string, unknown>;
  if (isError) {
    out.message = scrubSecrets((value as Error).message);
    if ((value as Error).stack) out.stack = scrubSecrets((value as Error).stack!);
  }
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    // A Slack request's body.text is what someone typed: never logged.
    const secret = SECRET_KEYS.has(k.toLowerCase()) || (parent === 'body' && k === 'text');
    out[k] = secret && v !== null && v !== undefined ? '[redacted]' : scrubValue(v, depth + 1, k);
  }
  return out;
}

const require = createRequire(import.meta.url);

/** pino-pretty when it is installed (development); null in a production install, which has only JSON. */
function prettyStream(destination?: DestinationStream): DestinationStream | null {
  try {
    const pretty = require('pino-pretty') as (opts: object) => DestinationStream;
    return pretty({
      colorize: !destination && process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,app',
      ...(destination ? { destination, sync: true } : {}),
    });
  } catch {
    return null;
  }
}

/** JSON unless development on a terminal, or the operator asked for one or the other. */
export function logFormat(p: { LOG_FORMAT?: LogFormat | undefined; NODE_ENV?: string | undefined }, tty = process.stdout.isTTY === true): LogFormat {
  if (p.LOG_FORMAT) return p.LOG_FORMAT;
  return p.NODE_ENV !== 'production' && tty ? 'pretty' : 'json';
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { app: 'trustloop' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => scrubValue(obj, 0) as Record<string, unknown>,
    },
    hooks: {
      // The message itself (and any printf arguments) are text too.
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
}

export function createLogger(level: string = 'info', opts: { format?: LogFormat; destination?: DestinationStream } = {}): Logger {
  const destination = opts.format === 'pretty' ? (prettyStream(opts.destination) ?? opts.destination) : opts.destination;
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}

/** The Logger interface @slack/* packages expect, writing through pino. */
export function slackLogger(logger: Logger, name = 'slack') {
  const child = logger.child({ component: name });
  let level = 'warn';
  return {
    debug: (...msg: unknown[]) => child.debug(msg.map(String).join(' ')),
    info: (...msg: unknown[]) => child.info(msg.map(String).join(' ')),
    warn: (...msg: unknown[]) => child.warn(msg.map(String).join(' ')),
    error: (...msg: unknown[]) => child.error(msg.map(String).join(' ')),
    setLevel: (l: string) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
