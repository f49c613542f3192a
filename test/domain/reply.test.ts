import { describe, expect, it } from 'vitest';
import { policyConfigSchema } from '../../src/config/policy';
import { addBusinessDays, businessDaysBetween, deliveryWindow, describePolicy, EMPTY_POLICY, type StorePolicy } from '../../src/domain/policy';
import { composeReply, replyText, replyTypeOf } from '../../src/domain/reply/compose';
import { checkPromises, durationIn } from '../../src/domain/reply/promise-check';
import type { ReplyFacts, ReplyOrder } from '../../src/domain/reply/types';

const policy: StorePolicy = policyConfigSchema.parse({
  contact: 'support@linenloom.example',
  home_country: 'DE',
  delivery: [
    { countries: ['DE'], business_days: [1, 3] },
    { countries: ['FR', 'NL'], business_days: [3, 5] },
    { countries: ['*'], business_days: [5, 10] },
    { countries: ['DE'], method: 'express', business_days: [1, 1] },
  ],
  returns: { window_days: 30, return_shipping: 'customer' },
  refunds: { business_days: [5, 10] },
  exchanges: { allowed: true, window_days: 30 },
  damage_claims: { requires: ['photos', 'packaging_photos', 'order_number'] },
});

const now = new Date('2027-03-15T10:00:00Z'); // a Monday
const order = (over: Partial<ReplyOrder> = {}): ReplyOrder => ({
  name: '#1042',
  country: 'DE',
  carrier: 'DHL',
  tracking: '00340434161094042557',
  state: 'in_transit',
  orderedAt: new Date('2027-03-01T10:00:00Z'),
  shippedAt: new Date('2027-03-02T10:00:00Z'),
  deliveredAt: null,
  method: null,
  ...over,
});
const facts = (over: Partial<ReplyFacts>): ReplyFacts => ({
  language: 'en',
  type: 'general',
  customerName: 'Jane Doe',
  subject: '',
  body: '',
  order: order(),
  owner: 'Sam',
  policy,
  now,
  ...over,
});

describe('the policy registry', () => {
  it('gives the delivery window by country and method, "*" for the rest, and nothing when none is written', () => {
    expect(deliveryWindow(policy, 'fr')?.business_days).toEqual([3, 5]);
    expect(deliveryWindow(policy, 'JP')?.business_days).toEqual([5, 10]);
    expect(deliveryWindow(policy, 'DE', 'express')?.business_days).toEqual([1, 1]);
    expect(deliveryWindow(policy, 'JP', 'express')?.business_days).toEqual([5, 10]);
    expect(deliveryWindow(policy, null)?.business_days).toEqual([1, 3]);
    expect(deliveryWindow(EMPTY_POLICY, 'DE')).toBeNull();
  });

  it('refuses a range written backwards or a country that is not a code, naming the field', () => {
    const r = policyConfigSchema.safeParse({ delivery: [{ countries: ['Germany'], business_days: [5, 2] }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['delivery.0.business_days', 'delivery.0.countries.0']);
  });

  it('reads as plain sentences, and says where it is silent', () => {
    expect(describePolicy(policy)).toContain('Returns: within 30 days of delivery; the customer pays return shipping.');
    expect(describePolicy(policy)).toContain('Delivery, standard, to FR, NL: 3 to 5 business days.');
    expect(describePolicy(EMPTY_POLICY)).toContain('Refunds: not written down (replies name no refund time).');
  });

  it('counts business days', () => {
    expect(addBusinessDays(new Date('2027-03-12T10:00:00Z'), 1).toISOString().slice(0, 10)).toBe('2027-03-15'); // Fri → Mon
    expect(businessDaysBetween(new Date('2027-03-12T10:00:00Z'), new Date('2027-03-19T09:00:00Z'))).toBe(5);
  });
});

describe('the reply composer', () => {
  it('a delayed order: the customer’s words, where the parcel is, the usual window, that it is late, when we write next', () => {
    const d = composeReply(
      facts({ type: 'delay', body: 'Hi, I ordered the linen shirt two weeks ago and it still has not arrived. Tracking has not moved since Monday.' }),
    );
    expect(d.greeting).toBe('Hi Jane,');
    expect(d.parts.confirmation).toContain('“I ordered the linen shirt two weeks ago and it still has not arrived”');
    expect(d.parts.status).toContain('Order #1042 is on its way with DHL');
    expect(d.parts.status).toContain('00340434161094042557');
    expect(d.parts.status).toContain('Delivery to Germany usually takes 1–3 business days.');
    expect(d.parts.status).toContain('later than that');
    expect(d.parts.next).toBe('We are asking DHL to trace it. Sam from our team will write to you by Wednesday 17 March with what they say, even if there is no news yet.');
    expect(d.nextUpdateBy?.toISOString().slice(0, 10)).toBe('2027-03-17');
    expect(d.parts.needs).toBeNull();
    expect(d.parts.contact).toContain('support@linenloom.example');
    expect(d.gaps).toEqual([]);
    // The draft keeps the store's promises.
    expect(checkPromises(replyText(d), { language: 'en', type: 'delay', policy, country: 'DE' })).toEqual([]);
  });

  it('a parcel still inside its window is not called late', () => {
    const d = composeReply(facts({ type: 'order_status', order: order({ shippedAt: new Date('2027-03-12T10:00:00Z') }) }));
    expect(d.parts.status).not.toContain('later than that');
  });

  it('damage: sorry for what they reported, the choice of replacement or refund with the refund time, and the evidence with why', () => {
    const d = composeReply(facts({ type: 'damage', body: 'The vase arrived smashed into pieces. Really disappointing.', order: order({ state: 'delivered', deliveredAt: new Date('2027-03-05T10:00:00Z') }) }));
    expect(d.parts.confirmation).toBe('Thank you for writing to us. You told us: “The vase arrived smashed into pieces”. I am sorry about that.');
    expect(d.parts.status).toBe('DHL shows order #1042 as delivered on Friday 5 March.');
    expect(d.parts.next).toContain('replacement or refund you');
    expect(d.parts.next).toContain('5–10 business days');
    // The order number is known: only the photos are asked for, each with its reason.
    expect(d.parts.needs).toBe(
      'To do that, please send us a photo of the item (so we can see the problem and, if needed, claim it from the carrier) and a photo of the box it came in (the carrier asks for it).',
    );
  });

  it('a missing item without a known order asks for the order number too', () => {
    const d = composeReply(facts({ type: 'missing', body: 'The lid was not in the box.', order: null }));
    expect(d.parts.needs).toContain('your order number (so we find the right parcel)');
    expect(d.parts.status).toBe('I am looking into your order now.');
  });

  it('a return states the window, who pays the postage and the refund time, from the policy; no apology for a question', () => {
    const d = composeReply(facts({ type: 'return', body: 'Can I send back the blue dress? It is too big.', order: order({ state: 'delivered' }) }));
    expect(d.parts.confirmation).toBe('Thank you for writing to us. You told us: “Can I send back the blue dress”.');
    expect(d.parts.next).toBe(
      'You can return items within 30 days of delivery. Return shipping is paid by you. Once it is back with us, your refund reaches you within 5–10 business days.',
    );
  });

  it('what the policy does not say is not promised, and is reported as a gap', () => {
    const d = composeReply(facts({ type: 'refund', body: 'Where is my refund?', policy: EMPTY_POLICY }));
    expect(d.parts.next).toBe('Sam from our team will see your refund through.');
    expect(d.gaps.sort()).toEqual(['contact', 'refunds']);
    const late = composeReply(facts({ type: 'delay', body: 'Still nothing.', policy: EMPTY_POLICY }));
    expect(late.parts.status).not.toContain('usually');
    expect(late.gaps).toContain('delivery_window');
  });

  it('a dispute: we look into it and write by a date we control, so the customer need not wait for the payment provider', () => {
    const d = composeReply(facts({ type: 'dispute', body: '', owner: null }));
    expect(d.parts.next).toBe(
      'We will review your order and write to you by Wednesday 17 March with what we found and how we can put it right, so you do not have to wait for the payment provider.',
    );
    expect(d.signoff).toBe('Best regards,\nThe support team');
  });

  it('the text joins the parts in the brief’s order and leaves an empty one out', () => {
    const d = composeReply(facts({ type: 'exchange', body: 'Could I swap this for a size M?' }));
    const text = replyText(d);
    const at = (s: string) => text.indexOf(s);
    expect(at(d.parts.confirmation)).toBeLessThan(at(d.parts.status));
    expect(at(d.parts.status)).toBeLessThan(at(d.parts.next));
    expect(at(d.parts.next)).toBeLessThan(at(d.parts.needs!));
    expect(at(d.parts.needs!)).toBeLessThan(at(d.parts.contact));
    expect(replyText({ ...d, parts: { ...d.parts, needs: null } })).not.toContain('\n\n\n');
  });

  it('the reply type follows the tags the team confirmed', () => {
    expect(replyTypeOf('ticket', ['shipping_delay'])).toBe('delay');
    expect(replyTypeOf('ticket', ['shipping_delay', 'refund'])).toBe('refund');
    expect(replyTypeOf('ticket', ['damaged', 'exchange'])).toBe('damage');
    expect(replyTypeOf('dispute', [])).toBe('dispute');
    expect(replyTypeOf('ticket', ['sizing'])).toBe('general');
  });
});

describe('the promise check', () => {
  const check = (text: string, over: Partial<Parameters<typeof checkPromises>[1]> = {}) =>
    checkPromises(text, { language: 'en', type: 'refund', policy, country: 'DE', ...over }).map((f) => f.rule);

  it('a refund faster than the policy, in every language', () => {
    expect(check('We will refund you within 2 days.')).toEqual(['refund_faster_than_policy']);
    expect(check('We will refund you today.')).toEqual(['refund_faster_than_policy']);
    expect(check('Your refund reaches you within 5–10 business days.')).toEqual([]);
    expect(check('Wir erstatten Ihnen den Betrag innerhalb von 2 Tagen.', { language: 'de' })).toEqual(['refund_faster_than_policy']);
    expect(check('Vous serez remboursé sous 48 heures.', { language: 'fr' })).toEqual(['refund_faster_than_policy']);
    expect(check('Te reembolsamos en 3 días hábiles.', { language: 'es' })).toEqual(['refund_faster_than_policy']);
    expect(check('Ti rimborsiamo entro 2 giorni.', { language: 'it' })).toEqual(['refund_faster_than_policy']);
    expect(check('Je krijgt je geld terug binnen twee dagen.', { language: 'nl' })).toEqual(['refund_faster_than_policy']);
    expect(check('Reembolsamos em 24 horas.', { language: 'pt' })).toEqual(['refund_faster_than_policy']);
  });

  it('a delivery span outside the country’s window', () => {
    expect(check('It should be delivered within 2 weeks.', { type: 'delay' })).toEqual(['delivery_outside_window']);
    expect(check('Delivery to Germany usually takes 1–3 business days.', { type: 'delay' })).toEqual([]);
    expect(check('Delivery to France usually takes 3-5 business days.', { type: 'delay', country: 'FR' })).toEqual([]);
    expect(check('It ships in 1 day.', { type: 'delay', country: 'JP' })).toEqual(['delivery_outside_window']);
  });

  it('an arrival day the store does not control', () => {
    expect(check('It will arrive on Friday.', { type: 'delay' })).toEqual(['arrival_date_not_ours']);
    expect(check('You will have it by 20 March.', { type: 'delay' })).toEqual(['arrival_date_not_ours']);
    expect(check('Das Paket kommt am Freitag an.', { type: 'delay', language: 'de' })).toEqual(['arrival_date_not_ours']);
    expect(check('Il pacco arriverà domani.', { type: 'delay', language: 'it' })).toEqual(['arrival_date_not_ours']);
    // When we write next is ours to promise.
    expect(check('Sam will write to you by Wednesday 17 March.', { type: 'delay' })).toEqual([]);
  });

  it('free returns where the customer pays; free for faulty items only when the item is faulty', () => {
    expect(check('Returns are free, we will send a prepaid return label.', { type: 'return' })).toEqual(['free_return_not_offered']);
    const faultyOnly = { ...policy, returns: { window_days: 30, return_shipping: 'store_if_faulty' as const, condition: null } };
    expect(check('Return shipping is on us.', { type: 'damage', policy: faultyOnly })).toEqual([]);
    expect(check('Return shipping is on us.', { type: 'return', policy: faultyOnly })).toEqual(['free_return_not_offered']);
    expect(check('A devolução é grátis.', { type: 'return', language: 'pt' })).toEqual(['free_return_not_offered']);
  });

  it('a longer return window, and an exchange the store does not do', () => {
    expect(check('You can return it within 60 days.', { type: 'return' })).toEqual(['return_window_longer']);
    const noExchanges = { ...policy, exchanges: { allowed: false, window_days: null } };
    expect(check('We will exchange it for a size M.', { type: 'exchange', policy: noExchanges })).toEqual(['exchange_not_offered']);
    expect(check('We cannot exchange items.', { type: 'exchange', policy: noExchanges })).toEqual([]);
  });

  it('reads spans in words and digits', () => {
    expect(durationIn('within 48 hours')).toBe(2);
    expect(durationIn('in two days')).toBe(2);
    expect(durationIn('in a week')).toBe(5);
    expect(durationIn('3-5 business days')).toBe(3);
    expect(durationIn('nothing here')).toBeNull();
  });
});

describe('the reply composer in each language Trustloop reads', () => {
  // Words each language's reply must not contain: English left in a translated reply is the
  // most common way a phrase book falls short.
  const english = /\b(?:the|your|will|order|business days|thank you)\b/i;
  const languages = ['es', 'de', 'fr', 'it', 'nl', 'pt'] as const;
  const types = ['delay', 'damage', 'missing', 'return', 'exchange', 'refund', 'dispute', 'order_status', 'general'] as const;

  for (const language of languages) {
    it(`${language}: every reply type has all five parts, in ${language}, with the order, the policy's days and the contact`, () => {
      for (const type of types) {
        const d = composeReply(facts({ language, type, body: '', order: order({ state: 'delivered', deliveredAt: new Date('2027-03-05T10:00:00Z') }) }));
        expect(d.language).toBe(language);
        const text = replyText(d);
        for (const part of ['confirmation', 'status', 'next', 'contact'] as const) expect(d.parts[part], `${type}.${part}`).toBeTruthy();
        expect(text, type).not.toMatch(english);
        expect(d.parts.contact, type).toContain('support@linenloom.example');
        if (type === 'refund' || type === 'return') expect(text, type).toMatch(/\b5\D{1,6}10\b/);
        if (type === 'damage') expect(d.parts.needs, type).toBeTruthy();
      }
    });
  }

  it('a language without a phrase book falls back to English rather than to nothing', () => {
    const d = composeReply(facts({ language: 'sv' as never, type: 'delay' }));
    expect(d.language).toBe('en');
    expect(replyText(d)).toMatch(/Delivery to Germany usually takes 1–3 business days/);
  });
});
