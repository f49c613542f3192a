import { type StorePolicy, deliveryWindow } from '../policy';
import type { ReplyLanguage } from '../review-reply';
import type { ReplyType } from './types';

// The promise check: before a reply goes out, what it promises is compared with the store's
// written policy and the order, so support never says what the pages do not. Each finding names
// the rule it breaks and the words that break it. Pure; the seven languages replies are written in.

export const PROMISE_RULES = ['refund_faster_than_policy', 'delivery_outside_window', 'free_return_not_offered', 'arrival_date_not_ours', 'return_window_longer', 'exchange_not_offered'] as const;
export type PromiseRule = (typeof PROMISE_RULES)[number];

export interface PromiseFinding {
  rule: PromiseRule;
  /** The words in the draft that make the promise. */
  excerpt: string;
  /** What the policy says instead, in plain words (English: shown to staff, not to the customer). */
  policy: string;
}

export interface PromiseContext {
  language: ReplyLanguage;
  type: ReplyType;
  policy: StorePolicy;
  country: string | null;
  method?: string | null;
}

interface Lexicon {
  refund: string;
  deliver: string;
  arrive: string;
  freeReturn: string;
  exchange: string;
  returnWithin: string;
  day: string;
  week: string;
  hour: string;
  soon: string;
  weekday: string;
  months: string;
}

// Word stems per language; matched on lower-cased text with accents kept (the drafts are ours or
// our staff's, so spelling is regular).
const LEX: Record<ReplyLanguage, Lexicon> = {
  en: {
    refund: 'refund\\w*|money back|reimburs\\w*',
    deliver: 'deliver\\w*|ship\\w*|dispatch\\w*',
    arrive: "arriv\\w*|reach(?:es)? you|be (?:with|at) you|(?:you'll|you will) (?:have|get|receive) (?:it|them|your \\w+)|be delivered",
    freeReturn: 'free returns?|returns? (?:are|is) free|return shipping (?:is )?(?:free|on us)|(?:we|we\'ll|we will) (?:cover|pay) (?:the )?return (?:shipping|postage|costs?)|prepaid return label|free return label',
    exchange: "exchang\\w*|swap\\w*",
    returnWithin: 'return\\w* (?:it |them |items? )?(?:with)?in',
    day: 'days?|business days?|working days?',
    week: 'weeks?',
    hour: 'hours?|hrs?',
    soon: 'today|tomorrow|tonight|immediately|right away|straight away|instantly|within the hour',
    weekday: 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|this week|next week',
    months: 'january|february|march|april|may|june|july|august|september|october|november|december',
  },
  es: {
    refund: 'reembols\\w*|devoluci[oó]n del dinero|devolver(?:le|te)? el dinero',
    deliver: 'entreg\\w*|envi\\w*',
    arrive: 'lleg\\w*|recibir\\w*|tendr[aá]s?',
    freeReturn: 'devoluci[oó]n(?:es)? gratis|devoluci[oó]n(?:es)? gratuita|env[ií]o de (?:la )?devoluci[oó]n gratis|(?:cubrimos|pagamos) (?:el env[ií]o de )?la devoluci[oó]n|etiqueta de devoluci[oó]n prepagada',
    exchange: 'cambi\\w*',
    returnWithin: 'devol\\w* (?:en|dentro de)',
    day: 'd[ií]as?(?: h[aá]biles| laborables)?',
    week: 'semanas?',
    hour: 'horas?',
    soon: 'hoy|mañana|enseguida|inmediatamente|ahora mismo',
    weekday: 'lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|mañana|hoy|esta semana|la pr[oó]xima semana',
    months: 'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre',
  },
  de: {
    refund: 'erstatt\\w*|rückerstatt\\w*|zurücküberwies\\w*|zurückzahl\\w*|geld zurück',
    deliver: 'liefer\\w*|versand\\w*|verschick\\w*|versend\\w*',
    arrive: 'ankomm\\w*|kommt\\w*|eintreff\\w*|bei ihnen (?:sein|ist)|erhalten sie|zugestellt',
    freeReturn: 'kostenlose? rücksend\\w*|rücksendung (?:ist )?kostenlos|rückversand (?:ist )?kostenlos|(?:übernehmen|zahlen) (?:wir )?(?:die )?rücksendekosten|kostenloses? (?:rücksende)?etikett',
    exchange: 'umtausch\\w*|tausch\\w*',
    returnWithin: '(?:zurückschicken|zurücksenden|rücksend\\w*|zurückgeben) (?:innerhalb|binnen)',
    day: '(?:werk|arbeits|geschäfts)?tagen?|tage?',
    week: 'wochen?',
    hour: 'stunden?',
    soon: 'heute|morgen|sofort|umgehend|gleich',
    weekday: 'montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|morgen|heute|diese woche|nächste woche',
    months: 'januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember',
  },
  fr: {
    refund: 'rembours\\w*',
    deliver: 'livr\\w*|expédi\\w*|envo\\w*',
    arrive: 'arriv\\w*|recevr\\w*|chez vous',
    freeReturn: 'retours? gratuits?|retour (?:est )?gratuit|frais de retour (?:sont )?(?:offerts|à notre charge)|(?:nous prenons|on prend) en charge (?:les frais de )?(?:de )?retour|étiquette de retour prépayée',
    exchange: 'échang\\w*',
    returnWithin: 'retourn\\w* (?:sous|dans les|dans un délai de)',
    day: 'jours?(?: ouvrés| ouvrables)?',
    week: 'semaines?',
    hour: 'heures?',
    soon: "aujourd'hui|demain|immédiatement|tout de suite|dès maintenant",
    weekday: "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|aujourd'hui|cette semaine|la semaine prochaine",
    months: 'janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre',
  },
  it: {
    refund: 'rimbors\\w*',
    deliver: 'consegn\\w*|spedi\\w*|invi\\w*',
    arrive: 'arriv\\w*|ricever\\w*|da lei|da te',
    freeReturn: 'res[oi] gratuit[oi]|reso (?:è )?gratis|spese di reso (?:sono )?(?:a nostro carico|gratuite)|(?:paghiamo|copriamo) (?:noi )?(?:le spese di )?(?:il )?reso|etichetta di reso prepagata',
    exchange: 'cambi\\w*|sostitu\\w*',
    returnWithin: 'rend\\w* (?:entro)',
    day: 'giorn[oi](?: lavorativi)?',
    week: 'settiman[ae]',
    hour: 'or[ae]',
    soon: 'oggi|domani|subito|immediatamente',
    weekday: 'lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|domani|oggi|questa settimana|la prossima settimana',
    months: 'gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre',
  },
  nl: {
    refund: 'terugbetal\\w*|terugstort\\w*|geld terug|vergoed\\w*',
    deliver: 'lever\\w*|bezorg\\w*|verzend\\w*|verstuur\\w*',
    arrive: 'aankom\\w*|komt\\w* (?:\\w+ )?aan|bij je|bij u|ontvang\\w*|in huis',
    freeReturn: 'gratis retour\\w*|retourneren is gratis|retourkosten (?:zijn )?(?:voor ons|gratis)|(?:wij betalen|we betalen) (?:de )?retour\\w*|gratis retourlabel|voorgefrankeerd retourlabel',
    exchange: 'ruil\\w*|omruil\\w*',
    returnWithin: 'retour\\w* (?:binnen)',
    day: '(?:werk)?dag(?:en)?',
    week: 'weken|week',
    hour: 'uur|uren',
    soon: 'vandaag|morgen|direct|meteen|onmiddellijk',
    weekday: 'maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|morgen|vandaag|deze week|volgende week',
    months: 'januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december',
  },
  pt: {
    refund: 'reembols\\w*|devolu[cç][aã]o do dinheiro|devolver o (?:seu |teu )?dinheiro',
    deliver: 'entreg\\w*|envi\\w*|expedi\\w*',
    arrive: 'cheg\\w*|receber\\w*|ter[aá] em m[aã]os',
    freeReturn: 'devolu[cç][aã]o gratuita|devolu[cç][oõ]es gratuitas|devolu[cç][aã]o (?:é )?gr[aá]tis|(?:pagamos|cobrimos) (?:os portes de |o frete de )?devolu[cç][aã]o|etiqueta de devolu[cç][aã]o pr[eé]-paga',
    exchange: 'troc\\w*',
    returnWithin: 'devolv\\w* (?:em até|no prazo de|dentro de)',
    day: 'dias?(?: úteis)?',
    week: 'semanas?',
    hour: 'horas?',
    soon: 'hoje|amanhã|imediatamente|já',
    weekday: 'segunda|terça|quarta|quinta|sexta|sábado|domingo|amanhã|hoje|esta semana|próxima semana',
    months: 'janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro',
  },
};

// Number words that stand for a count of days ("two days", "zwei Tage").
const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10, a: 1, an: 1, couple: 2, few: 3,
  un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5,
  ein: 1, einem: 1, einen: 1, zwei: 2, drei: 3, vier: 4, fünf: 5,
  deux: 2, trois: 3, quatre: 4, cinq: 5,
  due: 2, tre: 3, quattro: 4, cinque: 5,
  een: 1, twee: 2, drie: 3, vier_nl: 4, vijf: 5,
  um: 1, dois: 2, duas: 2, três: 3, quatro: 4,
};

const SENTENCE = /[^.!?\n]+[.!?]?/gu;
const QUOTED = /“[^”]{0,600}”|„[^“”]{0,600}[“”]|«[^»]{0,600}»|"[^"\n]{0,600}"/gu;

/** The promises in a draft that the policy or the order does not back, each with its rule. */
export function checkPromises(text: string, ctx: PromiseContext): PromiseFinding[] {
  const lex = LEX[ctx.language] ?? LEX.en;
  const findings: PromiseFinding[] = [];
  const seen = new Set<string>();
  const add = (f: PromiseFinding) => {
    const key = `${f.rule}:${f.excerpt}`;
    if (!seen.has(key)) findings.push(f);
    seen.add(key);
  };
  const rx = (s: string) => new RegExp(s, 'iu');
  // What the customer wrote, quoted back to them, promises nothing.
  const ours = text.replace(QUOTED, '“…”');
  for (const m of ours.matchAll(SENTENCE)) {
    const sentence = m[0].trim();
    const lower = sentence.toLowerCase();
    const span = durationIn(lower, lex);

    // A refund sooner than the policy's fastest.
    const refunds = ctx.policy.refunds;
    if (refunds && rx(`(?:${lex.refund})`).test(lower) && span !== null && span < refunds.business_days[0]) {
      add({ rule: 'refund_faster_than_policy', excerpt: sentence, policy: `refunds take ${range(refunds.business_days)} business days` });
    }

    // Delivery within a span outside the country's window.
    if (rx(`(?:${lex.deliver}|${lex.arrive})`).test(lower) && span !== null && !rx(`(?:${lex.refund})`).test(lower)) {
      const window = deliveryWindow(ctx.policy, ctx.country, ctx.method);
      if (window && (span < window.business_days[0] || span > window.business_days[1])) {
        add({
          rule: 'delivery_outside_window',
          excerpt: sentence,
          policy: `delivery${ctx.country ? ` to ${ctx.country}` : ''} takes ${range(window.business_days)} business days`,
        });
      }
    }

    // An arrival on a named day or date: the carrier decides that, not the store.
    if (rx(`(?:${lex.arrive})`).test(lower) && (rx(`\\b(?:${lex.weekday})\\b`).test(lower) || rx(`\\b\\d{1,2}(?:st|nd|rd|th|\\.)?\\s+(?:de\\s+)?(?:${lex.months})\\b|\\b(?:${lex.months})\\s+\\d{1,2}\\b`).test(lower))) {
      if (!/\b(?:usually|normally|typically|normalerweise|normalmente|généralement|habitualmente|meestal|di solito)\b/iu.test(lower)) {
        add({ rule: 'arrival_date_not_ours', excerpt: sentence, policy: 'the carrier decides the arrival day: promise when we will write next, not when it arrives' });
      }
    }

    // Free return shipping the store does not offer.
    const returns = ctx.policy.returns;
    if (rx(`(?:${lex.freeReturn})`).test(lower)) {
      const faulty = ['damage', 'missing', 'wrong_item', 'quality'].includes(ctx.type);
      const offered = returns?.return_shipping === 'store' || (returns?.return_shipping === 'store_if_faulty' && faulty);
      if (!offered) {
        add({
          rule: 'free_return_not_offered',
          excerpt: sentence,
          policy: returns ? (returns.return_shipping === 'customer' ? 'the customer pays return shipping' : 'return shipping is free only for faulty items') : 'the policy says nothing about free returns',
        });
      }
    }

    // A return window longer than the policy's.
    if (returns && rx(`(?:${lex.returnWithin})`).test(lower) && span !== null && span > returns.window_days) {
      add({ rule: 'return_window_longer', excerpt: sentence, policy: `returns are accepted within ${returns.window_days} days` });
    }

    // An exchange the store does not do.
    if (ctx.policy.exchanges?.allowed === false && rx(`\\b(?:${lex.exchange})`).test(lower) && !/\b(?:cannot|can't|not|kein|nicht|no|pas|non|niet|não)\b/iu.test(lower)) {
      add({ rule: 'exchange_not_offered', excerpt: sentence, policy: 'the store does not exchange items' });
    }
  }
  return findings;
}

const range = ([a, b]: readonly [number, number]) => (a === b ? String(a) : `${a}–${b}`);

/**
 * The shortest span of days a sentence promises: "in 2 days", "within 48 hours" (2), "in a week"
 * (5 business days), "3-5 business days" (3), "today" or "tomorrow" (0 or 1). null when it names none.
 */
export function durationIn(sentence: string, lex: Lexicon = LEX.en): number | null {
  const spans: number[] = [];
  const num = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).filter((w) => !w.includes('_')).join('|')})`;
  const unit = (u: string, toDays: (n: number) => number) => {
    const re = new RegExp(`${num}(?:\\s*(?:-|–|to|a|bis|à|tot|até|y|e|and|und|et|en|or|oder)\\s*\\d{1,3})?\\s*(?:${u})\\b`, 'giu');
    for (const m of sentence.matchAll(re)) {
      const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : NUMBER_WORDS[m[1]!.toLowerCase()];
      if (n !== undefined) spans.push(toDays(n));
    }
  };
  unit(lex.hour, (h) => Math.ceil(h / 24));
  unit(lex.day, (d) => d);
  unit(lex.week, (w) => w * 5);
  if (new RegExp(`\\b(?:${lex.soon})\\b`, 'iu').test(sentence)) spans.push(/tomorrow|mañana|morgen|demain|domani|amanhã/iu.test(sentence) ? 1 : 0);
  return spans.length === 0 ? null : Math.min(...spans);
}
