import pino, { type Logger } from 'pino';

export type { Logger };

// Structured JSON logs, one line per request or job. Customer emails, tokens and message
// bodies are never logged at info; the redaction list is a safety net, not the mechanism.
export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'trustloop' },
    redact: {
      paths: ['*.token', '*.authorization', '*.email', '*.customerEmail', 'headers.authorization', '*.body.text'],
      censor: '[redacted]',
    },
  });
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
