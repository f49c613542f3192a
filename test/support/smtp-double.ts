import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

// An SMTP server in the test process (the smtp-server package, nodemailer's own): records every
// message it accepts, parsed, and can refuse recipients or logins the way real servers do.

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  raw: string;
  /** The client's end of the connection it came over: two messages on one connection share it. */
  connection: string;
}

export interface SmtpDoubleOptions {
  /** Recipient address → SMTP reply code to refuse it with (550 permanent, 451 try later). */
  refuse?: Record<string, number>;
  /** When set, only this user and password log in. */
  auth?: { user: string; pass: string };
}

export class SmtpDouble {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer;
  port = 0;

  constructor(private readonly opts: SmtpDoubleOptions = {}) {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !opts.auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, cb) => {
        if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) cb(null, { user: auth.username });
        else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo: (address, _session, cb) => {
        const code = this.opts.refuse?.[address.address];
        if (code) cb(Object.assign(new Error(code >= 500 ? 'No such user here' : 'Mailbox busy, try later'), { responseCode: code }));
        else cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const parsed = await simpleParser(raw);
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            // The parser ends a text part with the line break MIME puts there; the message is what came before it.
            text: (parsed.text ?? '').replace(/\n$/, ''),
            messageId: parsed.messageId,
            inReplyTo: parsed.inReplyTo,
            raw,
            connection: `${session.remoteAddress}:${session.remotePort}`,
          });
          cb();
        });
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  url(auth?: { user: string; pass: string }): string {
    return `smtp://${auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : ''}127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
