import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../../../src/config/env';
import { sendersFromEnv } from '../../../src/services/send';
import { createMailer, EmailError } from '../../../src/services/send/email';
import { SmtpDouble } from '../../support/smtp-double';

describe('e-mail over SMTP', () => {
  const smtp = new SmtpDouble({ refuse: { 'gone@example.com': 550, 'busy@example.com': 451 } });
  const locked = new SmtpDouble({ auth: { user: 'trustloop', pass: 's3cret-pass' } });
  beforeAll(async () => {
    await smtp.start();
    await locked.start();
  });
  afterAll(async () => {
    await smtp.stop();
    await locked.stop();
  });

  it('delivers the text exactly as given, with its own Message-ID and the thread it answers', async () => {
    const mailer = createMailer({ url: smtp.url(), from: 'Acme Linen <support@acme.example>' });
    const text = 'Hi Jane,\n\nYou told us: “<@U123> *still* not here & _late_”.\n\nDelivery to Germany usually takes 1–3 business days.\n\nBest regards,\nSam';
    const sent = await mailer.send({
      to: 'jane@example.com',
      subject: 'Re: Where is my order?',
      text,
      messageId: '<reply-7@trustloop.local>',
      inReplyTo: '<CAF123@mail.example.com>',
    });
    mailer.close();
    expect(sent.accepted).toEqual(['jane@example.com']);
    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    expect(got.text).toBe(text);
    expect(got.subject).toBe('Re: Where is my order?');
    expect(got.from).toBe('support@acme.example');
    expect(got.to).toEqual(['jane@example.com']);
    expect(got.messageId).toBe('<reply-7@trustloop.local>');
    expect(got.inReplyTo).toBe('<CAF123@mail.example.com>');
  });

  it('replies and review requests share the one transport: both leave over the same SMTP connection', async () => {
    const mailer = createMailer({ url: smtp.url(), from: 'Acme Linen <support@acme.example>' });
    const senders = sendersFromEnv({} as Env, mailer);
    expect(senders.available('email')).toBe(true);
    const before = smtp.received.length;
    await senders.send('email', { target: 'kim@example.com', subject: 'Re: my order', text: 'Hello Kim', customerEmail: 'kim@example.com', messageId: '<reply-9@trustloop.local>' });
    await mailer.send({ to: 'kim@example.com', subject: 'How is your cardigan?', text: 'Tell us', messageId: '<request-3@trustloop.local>' });
    // Closing the senders leaves the shared transport open for the others.
    senders.close();
    await mailer.send({ to: 'kim@example.com', subject: 'Your photo', text: 'May we show it?', messageId: '<ugc-1@trustloop.local>' });
    mailer.close();
    const got = smtp.received.slice(before);
    expect(got.map((m) => m.messageId)).toEqual(['<reply-9@trustloop.local>', '<request-3@trustloop.local>', '<ugc-1@trustloop.local>']);
    expect(new Set(got.map((m) => m.connection)).size).toBe(1);
    expect(sendersFromEnv({} as Env, null).available('email')).toBe(false);
  });

  it('a refused address is permanent, a busy mailbox is worth a retry', async () => {
    const mailer = createMailer({ url: smtp.url(), from: 'support@acme.example' });
    const base = { subject: 's', text: 't', messageId: '<m@x>' };
    const gone = await mailer.send({ ...base, to: 'gone@example.com' }).catch((e: unknown) => e);
    const busy = await mailer.send({ ...base, to: 'busy@example.com' }).catch((e: unknown) => e);
    mailer.close();
    expect(gone).toBeInstanceOf(EmailError);
    expect((gone as EmailError).permanent).toBe(true);
    expect(busy).toBeInstanceOf(EmailError);
    expect((busy as EmailError).permanent).toBe(false);
  });

  it('logs in with the credentials in the URL; a wrong password is permanent', async () => {
    const good = createMailer({ url: locked.url({ user: 'trustloop', pass: 's3cret-pass' }), from: 'support@acme.example' });
    await good.send({ to: 'jane@example.com', subject: 's', text: 'hello', messageId: '<a@x>' });
    good.close();
    expect(locked.received.map((m) => m.text)).toEqual(['hello']);
    const bad = createMailer({ url: locked.url({ user: 'trustloop', pass: 'wrong' }), from: 'support@acme.example' });
    const err = await bad.send({ to: 'jane@example.com', subject: 's', text: 'x', messageId: '<b@x>' }).catch((e: unknown) => e);
    bad.close();
    expect((err as EmailError).permanent).toBe(true);
    expect((err as EmailError).code).toBe('EAUTH');
    expect(locked.received).toHaveLength(1);
  });

  it('a server that is not there is worth a retry', async () => {
    const mailer = createMailer({ url: 'smtp://127.0.0.1:1', from: 'support@acme.example', timeoutSeconds: 2 });
    const err = await mailer.send({ to: 'jane@example.com', subject: 's', text: 't', messageId: '<c@x>' }).catch((e: unknown) => e);
    mailer.close();
    expect(err).toBeInstanceOf(EmailError);
    expect((err as EmailError).permanent).toBe(false);
  });
});
