import type { Transporter } from 'nodemailer';
import type { Env } from '../../config/env';

// E-mail to customers over SMTP, through nodemailer. One module for every feature that writes to a
// customer by e-mail (replies from the card, review requests): they share the store's SMTP account
// and the same rules for what a failure means. Nothing here decides whether to send: callers only
// reach it after a person's click (or a schedule the store turned on).

export interface SmtpSettings {
  /** smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465 (TLS from the start). */
  url: string;
  /** The From address customers see and answer to ("Acme Linen <support@acme.example>"). */
  from: string;
  /** Seconds to wait for the server at each step; a send that takes longer is retried later. */
  timeoutSeconds?: number;
}

export interface EmailMessage {
  to: string;
  subject: string;
  /** Plain text, sent exactly as given: no markup of any kind is added or interpreted. */
  text: string;
  /**
   * A stable id for this message (the same on every retry), so a receiving system and the
   * customer's mail client can tell a repeated delivery of one reply from a second reply.
   */
  messageId: string;
  /** The Message-ID of the customer's e-mail this answers, so it lands in their thread. */
  inReplyTo?: string | null;
  replyTo?: string | null;
  /** Another From than the account's (review requests may come from their own address). */
  from?: string;
  /** Extra headers, such as List-Unsubscribe on review requests. */
  headers?: Record<string, string>;
}

export interface EmailSent {
  messageId: string;
  accepted: string[];
}

/**
 * A send that did not happen. `permanent`: trying again will not help (the server refused the
 * address or the login; someone must fix a setting); otherwise it is worth a later retry.
 */
export class EmailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: string,
  ) {
    super(message);
    this.name = 'EmailError';
  }
}

export interface Mailer {
  send(message: EmailMessage): Promise<EmailSent>;
  /** Checks the server answers and accepts the login (for `trustloop config check` and start-up logs). */
  verify(): Promise<void>;
  close(): void;
}

export function createMailer(settings: SmtpSettings): Mailer {
  const timeout = (settings.timeoutSeconds ?? 30) * 1000;
  // One pooled transport per app: replies, review requests and usage-rights requests share its
  // connections (and the store's sending limits) instead of each opening its own. The settings go
  // in the first argument with the URL: nodemailer reads its second argument as message defaults
  // only, so timeouts placed there would never apply.
  // nodemailer (some 15 MB resident) is read and the transport made at the first e-mail, not at start-up.
  let transport: Transporter | undefined;
  const open = async (): Promise<Transporter> =>
    (transport ??= (await import('nodemailer')).default.createTransport(
      { url: settings.url, pool: true, maxConnections: 3, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout },
      { from: settings.from },
    ));
  return {
    async send(m) {
      try {
        const info = await (await open()).sendMail({
          from: m.from ?? settings.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          messageId: m.messageId,
          ...(m.inReplyTo ? { inReplyTo: m.inReplyTo, references: [m.inReplyTo] } : {}),
          ...(m.replyTo ? { replyTo: m.replyTo } : {}),
          ...(m.headers ? { headers: m.headers } : {}),
        });
        const accepted = (info.accepted ?? []).map((a: string | { address: string }) => (typeof a === 'string' ? a : a.address));
        if (accepted.length === 0) throw new EmailError(`the server accepted no recipient (${String(info.response ?? '')})`, true, 'ENORECIPIENT');
        return { messageId: info.messageId ?? m.messageId, accepted };
      } catch (err) {
        throw classify(err);
      }
    },
    async verify() {
      try {
        await (await open()).verify();
      } catch (err) {
        throw classify(err);
      }
    },
    close() {
      transport?.close();
    },
  };
}

/** A nodemailer failure as retry-or-not: 5xx answers and refused logins are permanent; 4xx, timeouts and lost connections are not. */
export function classify(err: unknown): EmailError {
  if (err instanceof EmailError) return err;
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const code = e.code ?? 'ESEND';
  const detail = (e.response ?? e.message ?? String(err)).slice(0, 300);
  if (code === 'EAUTH') return new EmailError(`the SMTP server refused the login (${detail})`, true, code);
  // A refused recipient comes as EENVELOPE whatever the reason: the reply code says whether it may pass later.
  if (typeof e.responseCode === 'number') {
    return new EmailError(`the SMTP server answered ${e.responseCode} (${detail})`, e.responseCode >= 500, code);
  }
  if (code === 'EENVELOPE') return new EmailError(`the SMTP server refused the address (${detail})`, true, code);
  return new EmailError(`the SMTP server could not be reached (${detail})`, false, code);
}

/** The store's SMTP account from the settings, or null when e-mail is off (SMTP_URL unset). */
export function smtpSettings(env: Pick<Env, 'SMTP_URL' | 'SMTP_FROM'>): SmtpSettings | null {
  return env.SMTP_URL && env.SMTP_FROM ? { url: env.SMTP_URL, from: env.SMTP_FROM } : null;
}
