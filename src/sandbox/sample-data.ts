import { createHmac, sign as rsaSign } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { stripeLibrary } from '../services/stripe';

// The sandbox's sample store: a week of tickets in several languages and channels, reviews from
// Judge.me and Trustpilot, a Stripe and a PayPal dispute. Everything arrives through the routes a
// real store's systems use, signed with the sandbox's own secrets as each provider signs, so what
// the page shows is what production does. Names and addresses are invented (example.com).

export interface SampleSecrets {
  ingestToken: string;
  stripe: string;
  judgeme: string;
  trustpilot: string;
  paypalWebhookId: string;
  paypalKey: string;
}

export interface Delivery {
  what: string;
  path: string;
  body: string;
  headers: Record<string, string>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface SampleTicket {
  source: 'email' | 'live_chat' | 'social_dm' | 'marketplace';
  ago: number;
  subject: string;
  body: string;
  name: string;
  orders?: number;
  order?: { id: string; amount: string; currency: string; country: string; item: string; quantity?: number };
  /** An agent answered this long after the customer wrote: the week's response times. */
  answeredAfter?: number;
  answer?: string;
}

const TICKETS: SampleTicket[] = [
  // The week before: the digest (which reads the last full week) has figures whatever the weekday.
  {
    source: 'email',
    ago: 12.6 * DAY,
    subject: 'Where is my order?',
    body: 'Hello, my order was due on Friday and the tracking page has said "label created" for six days. Can you check?',
    name: 'Noah Evans',
    order: { id: '2011', amount: '64.00', currency: 'GBP', country: 'GB', item: 'Linen Napkins' },
    answeredAfter: 3 * HOUR,
    answer: 'Hi Noah, the carrier lost the first scan; it is moving now and arrives Tuesday. Sorry for the worry!',
  },
  {
    source: 'live_chat',
    ago: 11.3 * DAY,
    subject: 'Tracking?',
    body: 'Hi, any news on my parcel? The tracking link does not work for me.',
    name: 'Mia Jensen',
    answeredAfter: 0.2 * HOUR,
    answer: 'Hi Mia, here is the working link; it is out for delivery today.',
  },
  {
    source: 'email',
    ago: 9.8 * DAY,
    subject: 'Encomenda danificada',
    body: 'Olá, a minha encomenda chegou com a caixa rasgada e uma fronha manchada. Podem enviar outra?',
    name: 'Beatriz Costa',
    order: { id: '2019', amount: '42.00', currency: 'EUR', country: 'PT', item: 'Linen Pillowcase' },
    answeredAfter: 6 * HOUR,
    answer: 'Olá Beatriz, lamentamos muito. Enviamos uma nova fronha hoje. Alex',
  },
  {
    source: 'social_dm',
    ago: 8.4 * DAY,
    subject: 'Rücksendung',
    body: 'Hallo, wie lange dauert die Erstattung nach der Rücksendung? Ich habe das Paket letzte Woche zurückgeschickt.',
    name: 'Lena Schmidt',
    answeredAfter: 4 * HOUR,
    answer: 'Hallo Lena, die Erstattung kommt innerhalb von fünf Werktagen nach Eingang. Viele Grüße, Alex',
  },
  {
    source: 'email',
    ago: 6.2 * DAY,
    subject: 'Tracking number?',
    body: 'Hi! Could you send me the tracking number for my order? It was supposed to ship on Monday. Thanks, Emma',
    name: 'Emma Wilson',
    order: { id: '2041', amount: '58.00', currency: 'EUR', country: 'IE', item: 'Linen Pillowcase Set' },
    answeredAfter: 2 * HOUR,
    answer: 'Hi Emma, it left our warehouse this morning: the tracking link is in your inbox. Best, Alex',
  },
  {
    source: 'email',
    ago: 5.1 * DAY,
    subject: 'Wrong size delivered',
    body: 'Ich habe das Leinenhemd in M bestellt, bekommen habe ich XL. Wie kann ich es umtauschen?',
    name: 'Jonas Becker',
    order: { id: '2046', amount: '89.00', currency: 'EUR', country: 'DE', item: 'Linen Shirt', quantity: 1 },
    answeredAfter: 5 * HOUR,
    answer: 'Hallo Jonas, das tut uns leid. Wir schicken Ihnen heute ein Rücksendeetikett. Viele Grüße, Alex',
  },
  {
    source: 'live_chat',
    ago: 4.3 * DAY,
    subject: 'Duvet cover sizes',
    body: 'Do you make the washed linen duvet cover in super king? I need 260 x 220.',
    name: 'Priya Shah',
    answeredAfter: 0.4 * HOUR,
    answer: 'Hi Priya, yes: super king is 260 x 220 and is back in stock next week.',
  },
  {
    source: 'social_dm',
    ago: 3.4 * DAY,
    subject: 'Colis abîmé',
    body: "Bonjour, le colis est arrivé déchiré et la nappe a une tache. Je voudrais un remboursement s'il vous plaît.",
    name: 'Camille Martin',
    order: { id: '2052', amount: '74.00', currency: 'EUR', country: 'FR', item: 'Linen Tablecloth' },
    answeredAfter: 9 * HOUR,
    answer: 'Bonjour Camille, nous sommes désolés. Le remboursement est en cours. Alex',
  },
  {
    source: 'marketplace',
    ago: 2.6 * DAY,
    subject: '¿Dónde está mi pedido?',
    body: 'Hola, pedí dos juegos de sábanas hace diez días y todavía no han llegado. ¿Me podéis decir algo?',
    name: 'Lucía García',
    orders: 3,
    order: { id: '2057', amount: '176.00', currency: 'EUR', country: 'ES', item: 'Linen Sheet Set', quantity: 2 },
  },
  {
    source: 'email',
    ago: 1.8 * DAY,
    subject: 'Wholesale order for our hotel',
    body: 'Hello, we run a small hotel in Bath and would like 40 sets of your linen sheets. Do you offer trade prices?',
    name: 'Oliver Hughes',
    order: { id: '2060', amount: '1240.00', currency: 'GBP', country: 'GB', item: 'Linen Sheet Set', quantity: 40 },
  },
  {
    source: 'live_chat',
    ago: 1.1 * DAY,
    subject: 'Refund still missing',
    body: "I returned the curtains three weeks ago and I still don't have my refund. If it isn't sorted this week I'll open a chargeback and leave a review.",
    name: 'Sarah <script>alert(1)</script> Miller',
    orders: 4,
    order: { id: '2031', amount: '320.00', currency: 'EUR', country: 'NL', item: 'Linen Curtains', quantity: 2 },
  },
  {
    source: 'email',
    ago: 0.5 * DAY,
    subject: 'Lavaggio',
    body: 'Buongiorno, posso lavare le tende di lino in lavatrice a 40 gradi? Grazie mille.',
    name: 'Giulia Rossi',
  },
  {
    source: 'social_dm',
    ago: 0.2 * DAY,
    subject: 'Verkeerde kleur',
    body: 'Hoi, ik kreeg de theedoeken in het grijs in plaats van groen. Kunnen jullie de groene nog sturen? *Dank je* <!channel>',
    name: 'Daan de Vries',
    order: { id: '2066', amount: '32.00', currency: 'EUR', country: 'NL', item: 'Linen Tea Towels' },
  },
];

function ticketDeliveries(now: Date, token: string): Delivery[] {
  const out: Delivery[] = [];
  TICKETS.forEach((t, i) => {
    const externalId = `SAMPLE-${1000 + i}`;
    const createdAt = new Date(now.getTime() - t.ago);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    out.push({
      what: `ticket ${externalId}`,
      path: '/api/v1/tickets',
      headers: auth,
      body: JSON.stringify({
        source: t.source,
        external_id: externalId,
        subject: t.subject,
        body: t.body,
        customer: {
          name: t.name,
          email: `${t.name
            .split(' ')[0]!
            .normalize('NFD')
            .replace(/[^a-zA-Z]/g, '')
            .toLowerCase()}@example.com`,
          order_count: t.orders ?? 1,
        },
        ...(t.order
          ? {
              order: {
                id: t.order.id,
                amount: t.order.amount,
                currency: t.order.currency,
                country: t.order.country,
                items: [{ name: t.order.item, quantity: t.order.quantity ?? 1 }],
              },
            }
          : {}),
        created_at: createdAt.toISOString(),
      }),
    });
    if (t.answeredAfter && t.answer) {
      out.push({
        what: `reply to ${externalId}`,
        path: `/api/v1/tickets/${t.source}/${externalId}/messages`,
        headers: auth,
        body: JSON.stringify({
          direction: 'agent',
          body: t.answer,
          author: { name: 'Alex (sample agent)' },
          external_id: `${externalId}-reply`,
          created_at: new Date(createdAt.getTime() + t.answeredAfter).toISOString(),
        }),
      });
    }
  });
  return out;
}

function reviewDeliveries(now: Date, s: SampleSecrets): Delivery[] {
  const judgeme = (id: number, rating: number, title: string, body: string, name: string, ago: number, pictures: boolean) => {
    const raw = JSON.stringify({
      event: 'review/created',
      shop_domain: 'sample-store.myshopify.com',
      review: {
        id,
        title,
        body,
        rating,
        product_external_id: 8641242349791,
        product_title: 'Washed Linen Duvet Cover',
        product_handle: 'washed-linen-duvet-cover',
        reviewer: { id: id + 1, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, name },
        source: 'email',
        curated: 'not-yet',
        hidden: false,
        verified: 'buyer',
        created_at: new Date(now.getTime() - ago).toISOString(),
        updated_at: new Date(now.getTime() - ago).toISOString(),
        has_published_pictures: pictures,
        has_published_videos: false,
        pictures: pictures
          ? [
              {
                hidden: false,
                urls: {
                  original: 'https://images.example.com/sample/duvet-on-bed.jpg',
                  compact: 'https://images.example.com/sample/duvet-on-bed.jpg',
                },
              },
            ]
          : [],
      },
    });
    return {
      what: `Judge.me review ${id}`,
      path: '/webhooks/judgeme',
      body: raw,
      headers: { 'content-type': 'application/json', 'judgeme-hmac-sha256': createHmac('sha256', s.judgeme).update(raw).digest('hex') },
    };
  };
  const trustpilot = JSON.stringify({
    events: [
      {
        eventName: 'service-review-created',
        version: '1',
        eventData: {
          id: 'sample0000000000000000a1',
          language: 'de',
          title: 'Paket nie angekommen',
          text: 'Bestellt vor zwei Wochen, die Sendungsverfolgung steht seit zehn Tagen still. Keine Antwort auf zwei E-Mails.',
          referenceId: '2057',
          stars: 1,
          createdAt: new Date(now.getTime() - 3 * DAY).toISOString(),
          isVerified: true,
          consumer: { id: 'sampleconsumer00000001', name: 'Lukas Hoffmann' },
          tags: [{ group: 'Generic', value: 'delivery' }],
        },
      },
      {
        eventName: 'service-review-created',
        version: '1',
        eventData: {
          id: 'sample0000000000000000a2',
          language: 'en',
          title: 'Quick and friendly',
          text: 'Arrived in two days, lovely packaging, and the sheets get softer every wash.',
          referenceId: '2041',
          stars: 5,
          createdAt: new Date(now.getTime() - 2 * DAY).toISOString(),
          isVerified: true,
          consumer: { id: 'sampleconsumer00000002', name: 'Amelia Clarke' },
          tags: [],
        },
      },
    ],
  });
  return [
    judgeme(
      500001,
      1,
      'Seams came apart',
      'The duvet cover split along the seam after the second wash. Really disappointed for the price.',
      'Hannah Scott',
      4 * DAY,
      false,
    ),
    judgeme(500002, 5, 'Best bedding we own', 'Beautiful colour and so soft. Photo of it on our bed!', 'Marta Nowak', 1.5 * DAY, true),
    {
      what: 'Trustpilot reviews',
      path: `/webhooks/trustpilot?token=${encodeURIComponent(s.trustpilot)}`,
      body: trustpilot,
      headers: { 'content-type': 'application/json' },
    },
  ];
}

function disputeDeliveries(now: Date, s: SampleSecrets): Delivery[] {
  const seconds = Math.floor(now.getTime() / 1000);
  const stripe = JSON.stringify({
    id: 'evt_sample_dispute_created',
    object: 'event',
    api_version: '2025-03-31.basil',
    created: seconds - 3600,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'charge.dispute.created',
    data: {
      object: {
        id: 'dp_sample_0001',
        object: 'dispute',
        amount: 8900,
        balance_transactions: [],
        charge: 'ch_sample_0001',
        created: seconds - 3600,
        currency: 'eur',
        evidence: { customer_email_address: 'maya@example.com', customer_name: 'Maya Lindqvist' },
        evidence_details: { due_by: seconds + 6 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
        is_charge_refundable: false,
        livemode: false,
        metadata: { order_id: '2046' },
        payment_intent: 'pi_sample_0001',
        payment_method_details: { card: { brand: 'visa', case_type: 'chargeback', network_reason_code: '13.1' }, type: 'card' },
        reason: 'product_not_received',
        status: 'needs_response',
      },
    },
  });
  const created = new Date(now.getTime() - 2 * HOUR).toISOString();
  const paypal = JSON.stringify({
    id: 'WH-SAMPLE-DISPUTE-0001',
    create_time: created,
    resource_type: 'dispute',
    event_type: 'CUSTOMER.DISPUTE.CREATED',
    summary: 'A new dispute opened with Case # PP-D-SAMPLE1',
    resource: {
      dispute_id: 'PP-D-SAMPLE1',
      create_time: created,
      update_time: created,
      disputed_transactions: [
        {
          seller_transaction_id: 'SAMPLE9194EC9716033',
          invoice_number: 'SAMPLE-ORDER-2052',
          buyer: { name: 'Jonas Berger', email: 'jonas.berger@example.com' },
          gross_amount: { currency_code: 'EUR', value: '74.00' },
          create_time: new Date(now.getTime() - 12 * DAY).toISOString(),
          items: [
            { item_id: 'TC-160', item_name: 'Linen Tablecloth', item_quantity: '1', reason: 'MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED' },
          ],
        },
      ],
      reason: 'MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED',
      status: 'WAITING_FOR_SELLER_RESPONSE',
      dispute_amount: { currency_code: 'EUR', value: '74.00' },
      dispute_life_cycle_stage: 'INQUIRY',
      dispute_channel: 'INTERNAL',
      seller_response_due_date: new Date(now.getTime() + 9 * DAY).toISOString(),
      messages: [{ posted_by: 'BUYER', time_posted: created, content: 'The tablecloth is a different colour from the photos.' }],
    },
    event_version: '1.0',
  });
  const transmissionId = 'sample-transmission-0001';
  const time = new Date(now.getTime() - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const message = `${transmissionId}|${time}|${s.paypalWebhookId}|${crc32(Buffer.from(paypal))}`;
  return [
    {
      what: 'Stripe dispute',
      path: '/webhooks/stripe',
      body: stripe,
      headers: {
        'content-type': 'application/json',
        'stripe-signature': stripeLibrary().webhooks.generateTestHeaderString({ payload: stripe, secret: s.stripe, timestamp: seconds - 5 }),
      },
    },
    {
      what: 'PayPal dispute',
      path: '/webhooks/paypal',
      body: paypal,
      headers: {
        'content-type': 'application/json',
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': time,
        'paypal-transmission-sig': rsaSign('sha256', Buffer.from(message), s.paypalKey).toString('base64'),
        'paypal-auth-algo': 'SHA256withRSA',
      },
    },
  ];
}

/** Every sample delivery, oldest first within each kind. */
export function sampleDeliveries(now: Date, secrets: SampleSecrets): Delivery[] {
  return [...ticketDeliveries(now, secrets.ingestToken), ...reviewDeliveries(now, secrets), ...disputeDeliveries(now, secrets)];
}

/** Sends the sample deliveries to the running app; a refusal is reported, never silently skipped. */
export async function loadSampleData(appUrl: string, now: Date, secrets: SampleSecrets): Promise<{ sent: number; refused: string[] }> {
  const refused: string[] = [];
  const deliveries = sampleDeliveries(now, secrets);
  for (const d of deliveries) {
    const res = await fetch(`${appUrl}${d.path}`, { method: 'POST', headers: d.headers, body: d.body });
    if (res.status >= 300) refused.push(`${d.what}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  }
  return { sent: deliveries.length, refused };
}
