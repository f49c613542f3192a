import { describe, expect, test } from 'vitest';
import {
  extractAudience,
  extractMoney,
  extractOrderCount,
  extractQuantity,
  MAX_EXTRACT_CHARS,
  parseNumber,
} from '../../src/domain/judgement/extractors';

// The extractors read what rules read best, in the seven languages and their local formats.

const money = (text: string) => extractMoney(text).map((m) => `${m.value} ${m.currency}`.trim());

describe('sums of money, in every local format', () => {
  test.each([
    ['I paid €2.300 for the sofa', '2300.00 EUR'],
    ['It cost $2,300 and broke after a week', '2300.00 USD'],
    ['£ 280 for a lamp that flickers', '280.00 GBP'],
    ['Habe 1.299,00 € bezahlt', '1299.00 EUR'],
    ['CHF 1\'450.– für den Tisch', '1450.00 CHF'],
    ['Fr. 890.– pour la commode', '890.00 CHF'],
    ['He pagado 1.200,50 € por el sofá', '1200.50 EUR'],
    ['ho speso 349 euro', '349.00 EUR'],
    ['betaald: € 1.450,00', '1450.00 EUR'],
    ['paguei R$ 2.400 no sofá', '2400.00 BRL'],
    ['custou R$ 3 mil', '3000.00 BRL'],
    ['a budget of 3,5k€', '3500.00 EUR'],
    ['2300 EUR invoice', '2300.00 EUR'],
    ['300 euros', '300.00 EUR'],
    ['I spent 40 bucks', '40.00 USD'],
    ['MX$4,500 pesos', '4500.00 MXN'],
    ['A$460 for the jacket', '460.00 AUD'],
  ])('%s', (text, expected) => {
    expect(money(text)).toContain(expected);
  });

  test('"3.5k" without a currency counts beside a word about paying, with no currency (the default threshold applies)', () => {
    expect(money('we spent 3.5k with you this year')).toEqual(['3500.00']);
    expect(money('hemos gastado 2k este año')).toEqual(['2000.00']);
    expect(money('I have 3.5k followers')).toEqual([]);
    expect(money('3k views on my reel')).toEqual([]);
  });

  test('numbers that are not money: order numbers, sizes, phone numbers, dates, durations, audiences', () => {
    for (const text of [
      'Where is order #10045?',
      'Meine Bestellung 4411 ist nicht angekommen',
      'size 42, pack of 3',
      'call me on 0612345678',
      'ordered on 12.03.2026, waited 20 minutes on the phone',
      'I have 80k followers and 2 weeks left',
      'Bestellnummer 30045 € bezahlt',
    ]) {
      expect(money(text), text).toEqual([]);
    }
    expect(money('order 10045 €349')).toEqual(['349.00 EUR']);
  });

  test('thousands and decimals are told apart by the digits after the last separator', () => {
    expect(parseNumber('2.300')).toBe(2300);
    expect(parseNumber('1,299.99')).toBe(1299.99);
    expect(parseNumber('1.299,99')).toBe(1299.99);
    expect(parseNumber("1'450")).toBe(1450);
    expect(parseNumber('349,00')).toBe(349);
    expect(parseNumber('1 299')).toBe(1299);
  });
});

describe('quantities, with units and without', () => {
  test.each([
    ['we need 30 mugs for our office', 30],
    ['could you do 25 units?', 25],
    ['50 Stück, bitte mit Rechnung', 50],
    ['quiero cincuenta camisetas para el equipo', 50],
    ['trenta tazze per l\'ufficio', 30],
    ['il nous faut une trentaine de tabliers', 30],
    ['we hebben 40 mokken nodig', 40],
    ['precisamos de vinte canecas para o escritório', 20],
    ['we need dozens of candles for the wedding', 24],
    ['200 tote bags for the fair', 200],
  ])('%s', (text, units) => {
    expect(extractQuantity(text)?.units).toBe(units);
  });

  test('durations, sizes, percentages, audiences and order counts are not goods', () => {
    for (const text of [
      'we waited 30 days',
      '20 minutes on hold',
      'size 42 please',
      '100% cotton',
      'I have 45 followers',
      'my 12 orders so far',
      'Bestellung 40',
      '30 anni di esperienza',
    ]) {
      const q = extractQuantity(text);
      expect(q === null || q.units < 20, `${text} → ${JSON.stringify(q)}`).toBe(true);
    }
  });
});

describe('order histories, ordinal and counted', () => {
  test.each([
    ['this is my third order', 3],
    ['my 4th order with you', 4],
    ['es mi tercer pedido', 3],
    ['ya es la quinta compra', 5],
    ['meine dritte Bestellung', 3],
    ['zum fünften Mal bestellt', 5],
    ['c’est ma quatrième commande', 4],
    ['ma 3e commande', 3],
    ['il mio terzo ordine', 3],
    ['è il quinto acquisto', 5],
    ['mijn derde bestelling', 3],
    ['minha terceira encomenda', 3],
    ['é a quarta compra', 4],
    ['I have ordered 5 times', 5],
    ['ho ordinato 6 volte', 6],
    ['12 pedidos y nunca un problema', 12],
  ])('%s', (text, orders) => {
    expect(extractOrderCount(text)?.orders).toBe(orders);
  });

  test('a third message or a third time writing is not a third order', () => {
    expect(extractOrderCount('this is the third time I write to you')).toBeNull();
    expect(extractOrderCount('troisième relance sans réponse')).toBeNull();
    expect(extractOrderCount('my second order')).toBeNull();
  });
});

describe('audiences', () => {
  test.each([
    ['I have 85k followers on Instagram', 85_000],
    ['mit 120.000 Abonnenten auf YouTube', 120_000],
    ['tengo 10 mil seguidores', 10_000],
    ['j’ai 45 000 abonnés', 45_000],
    ['ho 30k follower su TikTok', 30_000],
    ['ik heb 12.000 volgers', 12_000],
    ['tenho 1,2 milhões de seguidores', 1_200_000],
    ['a blog with 20k readers', 20_000],
    ['3,000 followers, nothing big', 3_000],
  ])('%s', (text, followers) => {
    expect(extractAudience(text)?.followers).toBe(followers);
  });

  test('someone else’s audience is not the sender’s', () => {
    expect(extractAudience('my sister has 50k followers')).toBeNull();
    expect(extractAudience('mi prima tiene 80k seguidores')).toBeNull();
    expect(extractAudience('in a group of 12,000 members and 5000 followers of my cousin')).toBeNull();
  });
});

describe('bounded on any input', () => {
  test('a 200,000-character body, a 20,000-character word and 5,000 emoji are read quickly', () => {
    const inputs = ['refund '.repeat(30_000), 'x'.repeat(20_000), '😡'.repeat(5_000), `${'1'.repeat(20_000)} €`, `€${'9'.repeat(20_000)}`];
    for (const text of inputs) {
      const started = performance.now();
      extractMoney(text);
      extractQuantity(text);
      extractOrderCount(text);
      extractAudience(text);
      // Generous: the benchmark measures; this only proves nothing stalls.
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(2_000);
    }
    expect(MAX_EXTRACT_CHARS).toBeLessThanOrEqual(20_000);
  });
});
