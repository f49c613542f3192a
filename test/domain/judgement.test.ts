import { describe, expect, it } from 'vitest';
import { judgementConfigSchema, type JudgementConfigInput } from '../../src/config/judgement';
import { judge, parseAmounts, type JudgementInput } from '../../src/domain/judgement';

const config = (c: JudgementConfigInput = {}) => judgementConfigSchema.parse(c);

function msg(body: string, extra: Partial<JudgementInput> = {}): JudgementInput {
  return { source: 'email', kind: 'ticket', body, customer: { orderCount: 1, tags: [] }, ...extra };
}

const codes = (input: JudgementInput, c = config()) => judge(input, c).reasons.map((r) => r.code);

describe('judgement config', () => {
  it('gives the brief’s defaults for an empty object', () => {
    const c = config();
    expect(c.high_value.thresholds).toMatchObject({ EUR: 300, USD: 350, GBP: 250, CHF: 300, CAD: 450, BRL: 1800, MXN: 6000 });
    expect(c.high_value.default).toBe(300);
    expect(c.repeat_customer_orders).toBe(3);
    expect(c.bulk_quantity).toBe(20);
    expect(c.kol_customer_tags).toEqual(['kol', 'creator', 'influencer', 'ambassador']);
    expect(c.quality_cluster).toEqual({ count: 3, days: 14 });
    expect(c.languages).toEqual(['en', 'es', 'de', 'fr']);
    expect(Object.values(c.rules).every((on) => on === true)).toBe(true);
  });

  it('merges configured currency thresholds over the defaults and upper-cases codes', () => {
    expect(config({ high_value: { thresholds: { jpy: 60000, eur: 500 } } }).high_value.thresholds).toMatchObject({
      EUR: 500,
      USD: 350,
      GBP: 250,
      JPY: 60000,
    });
  });

  it('rejects unknown keys and bad values', () => {
    expect(judgementConfigSchema.safeParse({ rules: { refunds: true } }).success).toBe(false);
    expect(judgementConfigSchema.safeParse({ bulk_quantity: 1 }).success).toBe(false);
    expect(judgementConfigSchema.safeParse({ languages: ['it'] }).success).toBe(false);
  });
});

describe('must-escalate rules', () => {
  it('refund request', () => {
    const input = msg('Hi, the kettle arrived fine but I changed my mind. Can I get a refund for order 10045?');
    const j = judge(input, config());
    expect(j.suggestedTags).toContain('refund');
    expect(j.reasons).toContainEqual({ code: 'refund_request', label: 'Refund requested' });
    expect(j.mustEscalate).toBe(true);
    expect(j.priority).toBe('raise');
    expect(judge(input, config({ rules: { refund_request: false } })).mustEscalate).toBe(false);
  });

  it('a refund policy question and a refused refund are not refund requests', () => {
    expect(judge(msg('What is your refund policy for sale items?', { customer: { orderCount: 0, tags: [] } })).suggestedTags).toEqual([
      'return_policy',
    ]);
    const j = judge(msg("The vase arrived chipped. I don't want a refund, just send a new one please."));
    expect(j.suggestedTags).not.toContain('refund');
    expect(j.suggestedTags).toEqual(['damaged', 'exchange']);
  });

  it('chargeback or bank dispute, and every dispute case', () => {
    expect(codes(msg('If this is not resolved today I will open a dispute with PayPal.'))).toContain('chargeback');
    expect(codes(msg('I have asked my bank to reverse the payment.'))).toContain('chargeback');
    const dispute = judge(msg('Unauthorized transaction.', { source: 'dispute', kind: 'dispute' }));
    expect(dispute.suggestedTags).toContain('chargeback');
    expect(dispute.reasons[0]).toEqual({ code: 'chargeback', label: 'Payment dispute opened' });
    expect(codes(msg('I paid by bank transfer yesterday, did you receive it?'))).not.toContain('chargeback');
    expect(codes(msg('I will open a dispute with PayPal.'), config({ rules: { chargeback: false } }))).not.toContain('chargeback');
  });

  it('complaint escalation: manager, escalate, formal complaint', () => {
    for (const body of [
      'I want to speak to a manager.',
      'Please escalate this, nobody has helped me.',
      'I would like to make a formal complaint.',
    ]) {
      expect(codes(msg(body))).toContain('complaint_escalation');
    }
    expect(codes(msg('I want to speak to a manager.'), config({ rules: { complaint_escalation: false } }))).not.toContain(
      'complaint_escalation',
    );
  });

  it('high-value order, per currency threshold', () => {
    const order = (amount: string, currency: string) => msg('When will my order ship?', { order: { amount, currency, itemCount: 1 } });
    expect(judge(order('349.00', 'EUR')).reasons).toContainEqual({ code: 'high_value', label: 'High-value order: €349.00 ≥ €300' });
    expect(codes(order('299.99', 'EUR'))).not.toContain('high_value');
    expect(codes(order('300.00', 'EUR'))).toContain('high_value');
    expect(codes(order('349.00', 'USD'))).not.toContain('high_value');
    expect(codes(order('350.00', 'USD'))).toContain('high_value');
    expect(codes(order('250.00', 'GBP'))).toContain('high_value');
    expect(judge(order('450.00', 'CAD')).reasons.find((r) => r.code === 'high_value')?.label).toBe(
      'High-value order: 450.00 CAD ≥ 450 CAD',
    );
    expect(codes(order('349.00', 'EUR'), config({ high_value: { thresholds: { EUR: 500 } } }))).not.toContain('high_value');
    expect(codes(order('349.00', 'EUR'), config({ rules: { high_value: false } }))).not.toContain('high_value');
  });

  it('high-value from an amount the customer paid, when no order is attached', () => {
    expect(codes(msg('I paid €420 for this blender and it broke in a week.', { customer: { orderCount: null, tags: [] } }))).toContain(
      'high_value',
    );
    expect(codes(msg('Is the €399 jacket waterproof?', { customer: { orderCount: 0, tags: [] } }))).not.toContain('high_value');
  });

  it('repeat customer by order count', () => {
    expect(judge(msg('Where is my order?', { customer: { orderCount: 3, tags: [] } })).reasons).toContainEqual({
      code: 'repeat_customer',
      label: 'Repeat customer: 3 orders ≥ 3',
    });
    expect(codes(msg('Where is my order?', { customer: { orderCount: 2, tags: [] } }))).not.toContain('repeat_customer');
    expect(codes(msg('Where is my order?', { customer: { orderCount: null, tags: [] } }))).not.toContain('repeat_customer');
    expect(
      codes(msg('Where is my order?', { customer: { orderCount: 4, tags: [] } }), config({ repeat_customer_orders: 5 })),
    ).not.toContain('repeat_customer');
  });

  it('KOL or creator by customer tag or in their own words', () => {
    expect(judge(msg('Has my parcel shipped?', { customer: { orderCount: 1, tags: ['VIP', 'Influencer'] } })).reasons).toContainEqual({
      code: 'kol',
      label: 'KOL/creator: customer tag "influencer"',
    });
    expect(codes(msg("I'm an influencer with 80k followers and would love to feature your lamps."))).toContain('kol');
    expect(judge(msg('I have 45k followers on TikTok, can we work together?')).reasons.find((r) => r.code === 'kol')?.label).toBe(
      'KOL/creator: says 45,000 followers',
    );
    expect(codes(msg('My sister has 900 followers and loved the candle.'))).not.toContain('kol');
    expect(
      codes(msg('Has my parcel shipped?', { customer: { orderCount: 1, tags: ['partner'] } }), config({ kol_customer_tags: ['partner'] })),
    ).toContain('kol');
  });

  it('bulk purchase by quantity or by asking for wholesale', () => {
    expect(judge(msg('When will this ship?', { order: { amount: '120.00', currency: 'EUR', itemCount: 20 } })).reasons).toContainEqual({
      code: 'bulk_purchase',
      label: 'Bulk purchase: 20 units ≥ 20',
    });
    expect(codes(msg('When will this ship?', { order: { amount: '120.00', currency: 'EUR', itemCount: 19 } }))).not.toContain(
      'bulk_purchase',
    );
    expect(codes(msg('Do you offer wholesale pricing for cafés?'))).toContain('bulk_purchase');
    expect(codes(msg('We would like to order 50 units for our team.'))).toContain('bulk_purchase');
    expect(codes(msg('Has order 10045 shipped yet?'))).not.toContain('bulk_purchase');
    expect(codes(msg('If I order the trousers in 32 and they are too long, can I return them?'))).not.toContain('bulk_purchase');
    expect(codes(msg('We would like to order 50 units for our team.'), config({ bulk_quantity: 100 }))).not.toContain('bulk_purchase');
  });

  it('quality issue clustering on one product', () => {
    const faded = (recent: number) => msg('My black hoodie faded after one wash.', { recentSimilarQualityIssues: recent });
    expect(judge(faded(2)).reasons).toContainEqual({
      code: 'quality_cluster',
      label: 'Quality issue clustering: 3 similar cases in 14 days ≥ 3',
    });
    expect(codes(faded(1))).not.toContain('quality_cluster');
    expect(codes(msg('Where is my order?', { recentSimilarQualityIssues: 9 }))).not.toContain('quality_cluster');
    expect(codes(faded(2), config({ quality_cluster: { count: 5 } }))).not.toContain('quality_cluster');
  });

  it('upset customer threatening a negative review or a public post', () => {
    const review = judge(msg('Three weeks and still nothing. If I don’t hear back today I’m leaving a 1-star review.'));
    expect(review.threats).toContain('negative_review');
    expect(review.reasons.map((r) => r.code)).toContain('review_threat');
    const post = judge(msg('Nobody answers my emails. I am going to post about this on Instagram so people know.'));
    expect(post.threats).toContain('public_post');
    expect(post.reasons.map((r) => r.code)).toContain('public_post_threat');
    const happy = judge(msg('Love it! I will leave a great review on your site.', { customer: { orderCount: 1, tags: [] } }));
    expect(happy.threats).toEqual([]);
    expect(happy.mustEscalate).toBe(false);
  });

  it('legal threats', () => {
    const j = judge(msg('The heater scorched my floor. I am speaking to my lawyer about legal action.'));
    expect(j.threats).toContain('legal');
    expect(j.reasons.map((r) => r.code)).toContain('legal_threat');
  });

  it('low-rated reviews and negative public comments', () => {
    const review = (rating: number) =>
      msg('Does the job but the stitching came apart.', { source: 'review', kind: 'review', rating, customer: { tags: [] } });
    expect(judge(review(2)).reasons).toContainEqual({ code: 'low_rating', label: 'Negative review: 2★' });
    expect(codes(review(3))).not.toContain('low_rating');
    expect(codes(review(3), config({ low_rating_max: 3 }))).toContain('low_rating');
    const body = 'Still no package after 5 weeks and nobody replies. Avoid this shop.';
    expect(codes(msg(body, { source: 'comment', customer: { tags: [] } }))).toContain('public_complaint');
    expect(codes(msg(body, { source: 'email' }))).not.toContain('public_complaint');
  });

  it('furious customers', () => {
    const j = judge(msg('This is a SCAM. You people are a joke, absolutely ridiculous!!!'));
    expect(j.sentiment).toBe('negative');
    expect(j.intensity).toBe('furious');
    expect(j.reasons.map((r) => r.code)).toContain('furious');
  });

  it('an escalated case is never automatable, a calm FAQ is', () => {
    const escalated = judge(msg('Do you have a size chart?', { customer: { orderCount: 7, tags: [] } }));
    expect(escalated.mustEscalate).toBe(true);
    expect(escalated.automatable).toBe(false);
    expect(escalated.automatableTopic).toBeUndefined();
    const faq = judge(msg('Do you have a size chart?', { customer: { orderCount: 0, tags: [] } }));
    expect(faq.mustEscalate).toBe(false);
    expect(faq.priority).toBeNull();
    expect(faq.reasons).toEqual([]);
  });
});

describe('automatable topics', () => {
  const calm = (body: string) => judge(msg(body, { customer: { orderCount: 0, tags: [] } }));
  it.each([
    ['Where is my order #10045? Could you send the tracking number?', 'order_tracking'],
    ['How long does shipping to Ireland take?', 'delivery_estimate'],
    ['Do you have a size chart for the trail runners?', 'size_chart'],
    ['Is the blanket 100% wool and can it go in the washing machine?', 'materials_care'],
    ['How long is your return window?', 'return_policy'],
    ['Can I pay with Klarna?', 'payment_methods'],
    ['Can the SPRING15 discount code be used on sale items?', 'discount_code_rules'],
    ['Will the oatmeal cardigan be back in stock?', 'back_in_stock'],
  ])('%s → %s', (body, topic) => {
    const j = calm(body);
    expect(j.automatable).toBe(true);
    expect(j.automatableTopic).toBe(topic);
  });

  it('problems, upset customers and config switches are not automatable', () => {
    expect(calm('My lamp arrived broken, what now?').automatable).toBe(false);
    expect(calm('Where is my order?? This is ridiculous, three weeks!!').automatable).toBe(false);
    expect(judge(msg('Can I pay with Klarna?'), config({ automation: { enabled: false } })).automatable).toBe(false);
    expect(judge(msg('Can I pay with Klarna?'), config({ automation: { topics: ['size_chart'] } })).automatable).toBe(false);
  });
});

describe('tags', () => {
  it('are catalogue ids, sorted, and never empty', () => {
    const j = judge(msg('The zip broke after a week and I would like to return the bag.'));
    expect(j.suggestedTags).toEqual(['quality', 'return_request']);
    expect(judge(msg('Do you have a shop in London?')).suggestedTags).toEqual(['other']);
  });

  it('tell transit damage from a product that failed in use', () => {
    expect(judge(msg('The mug arrived with a chipped handle.')).suggestedTags).toEqual(['damaged']);
    expect(judge(msg('The handle broke after two weeks of normal use.')).suggestedTags).toEqual(['quality']);
  });

  it('config keywords extend a tag, add a new one, or override the built-in phrases', () => {
    const body = 'Could you add gift wrap and a note? Also where is my Rückgeld?';
    expect(judge(msg(body)).suggestedTags).not.toContain('gift_wrap');
    const extended = judge(msg(body), config({ keywords: { gift_wrap: { phrases: ['gift wrap'] }, refund: { phrases: ['rückgeld'] } } }));
    expect(extended.suggestedTags).toContain('gift_wrap');
    expect(extended.suggestedTags).toContain('refund');
    const overridden = config({ keywords: { refund: { phrases: ['reimbursement please'], mode: 'override' } } });
    expect(judge(msg('Please refund me.'), overridden).suggestedTags).not.toContain('refund');
    expect(judge(msg('Reimbursement please.'), overridden).suggestedTags).toContain('refund');
    const excluded = config({ keywords: { refund: { exclude: ['refund voucher'] } } });
    expect(judge(msg('Do you sell a refund voucher?'), excluded).suggestedTags).not.toContain('refund');
  });
});

describe('amounts', () => {
  it.each([
    ['It cost €349 in the end', [{ value: '349.00', currency: 'EUR' }]],
    ['I was charged 420 USD', [{ value: '420.00', currency: 'USD' }]],
    ['£310 for a chair', [{ value: '310.00', currency: 'GBP' }]],
    ['Betrag: 349,00 € laut Rechnung', [{ value: '349.00', currency: 'EUR' }]],
    ['the bike was $1,299.99', [{ value: '1299.99', currency: 'USD' }]],
    ['Gesamt 1.299,99 €', [{ value: '1299.99', currency: 'EUR' }]],
    [
      'CHF 120 and 80 euros',
      [
        { value: '120.00', currency: 'CHF' },
        { value: '80.00', currency: 'EUR' },
      ],
    ],
  ])('%s', (text, expected) => {
    expect(parseAmounts(text)).toEqual(expected);
  });

  it('never reads an order number as an amount', () => {
    expect(parseAmounts('Where is order #10045?')).toEqual([]);
    expect(parseAmounts('Meine Bestellung 4411 ist nicht angekommen')).toEqual([]);
    expect(parseAmounts('order 10045 €349')).toEqual([{ value: '349.00', currency: 'EUR' }]);
    expect(parseAmounts('Bestellung 4411 € bezahlt')).toEqual([]);
    expect(parseAmounts('I have 80k followers and 2 weeks left')).toEqual([]);
    const j = judge(msg('Hello, my order number is 4411. When will it arrive? I paid €310.'));
    expect(j.amounts).toEqual([{ value: '310.00', currency: 'EUR' }]);
    expect(j.reasons.map((r) => r.code)).toContain('high_value');
  });
});

describe('languages', () => {
  it('does not call short messages foreign', () => {
    for (const body of ['ok', 'thanks!', 'Danke!', 'Gracias', 'hello?', '#10045']) {
      const j = judge(msg(body));
      expect(j.languageSupported, body).toBe(true);
      expect(
        j.reasons.map((r) => r.code),
        body,
      ).not.toContain('language');
    }
  });

  it('tags and escalates Spanish, German and French', () => {
    const es = judge(msg('Hola, la lámpara llegó rota. Quiero que me devuelvan el dinero.'));
    expect(es.language).toBe('es');
    expect(es.suggestedTags).toEqual(['damaged', 'refund']);
    expect(es.mustEscalate).toBe(true);
    const de = judge(msg('Ich habe die Schuhe zurückgeschickt und noch keine Rückerstattung erhalten.'));
    expect(de.language).toBe('de');
    expect(de.suggestedTags).toEqual(['refund']);
    expect(de.mustEscalate).toBe(true);
    const fr = judge(
      msg('Bonjour, pourriez-vous me donner le numéro de suivi de ma commande ?', { customer: { orderCount: 0, tags: [] } }),
    );
    expect(fr.language).toBe('fr');
    expect(fr.suggestedTags).toEqual(['order_status']);
    expect(fr.mustEscalate).toBe(false);
  });

  it.each([
    ['it', 'Buongiorno, il mio ordine non è ancora arrivato dopo tre settimane. Potete aiutarmi?'],
    ['pt', 'Olá, o meu pedido chegou danificado, a caneca está partida. Gostaria de uma troca.'],
    ['nl', 'Hallo, ik heb twee weken geleden een bestelling geplaatst maar nog niets ontvangen.'],
    ['pl', 'Dzień dobry, otrzymałam uszkodzoną paczkę, kubek jest pęknięty. Proszę o zwrot pieniędzy.'],
  ])('hands %s to a human instead of guessing tags', (language, body) => {
    const j = judge(msg(body));
    expect(j.language).toBe(language);
    expect(j.languageSupported).toBe(false);
    expect(j.suggestedTags).toEqual(['other']);
    expect(j.reasons).toContainEqual({ code: 'language', label: `Needs a human: language (${language})` });
    expect(j.automatable).toBe(false);
  });

  it('follows the configured language list', () => {
    const body = '¿Cuánto tarda el envío a Canarias? Quiero saberlo antes de comprar.';
    expect(judge(msg(body)).languageSupported).toBe(true);
    expect(judge(msg(body), config({ languages: ['en'] })).reasons.map((r) => r.code)).toContain('language');
  });
});

describe('determinism and plain text', () => {
  it('gives the same serialisable result for the same message and config', () => {
    const input = msg('Oh great, another "premium" bottle that leaks. I want a refund or I go to my bank. €89', {
      order: { amount: '89.00', currency: 'EUR', itemCount: 1 },
    });
    const first = judge(input, config());
    const second = judge(structuredClone(input), config());
    expect(second).toEqual(first);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('treats Slack-looking markup as plain text', () => {
    const j = judge(msg('<!channel> <@U02ABC123> hello?? has order 7781 been posted yet? <https://evil.example|click>'));
    expect(j.suggestedTags).toEqual(['order_status']);
    expect(j.amounts).toEqual([]);
    expect(j.language).toBe('en');
    expect(j.mustEscalate).toBe(false);
    expect(j.reasons.every((r) => !r.label.includes('<'))).toBe(true);
  });
});
