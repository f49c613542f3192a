// The public reply to a negative review, in the reviewer's language. The brief's structure:
// acknowledge the specific experience before explaining (in the reviewer's own words), state the
// action, give the official channel. The fourth part, the captured improvement, stays internal.
// Pure: the caller passes the review and the language; nothing here reads a clock or a store.

export const REPLY_LANGUAGES = ['en', 'es', 'de', 'fr', 'it', 'nl', 'pt'] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

export function replyLanguage(...candidates: (string | null | undefined)[]): ReplyLanguage {
  for (const c of candidates) {
    const code = c?.trim().toLowerCase().slice(0, 2);
    if (code && (REPLY_LANGUAGES as readonly string[]).includes(code)) return code as ReplyLanguage;
  }
  return 'en';
}

export type ReplyAction = 'contact' | 'replacement' | 'refund' | 'batch_check' | 'page_update';

interface Phrases {
  hello: (name: string | null) => string;
  thanks: string;
  /** The product as a noun phrase, or the order when the review names none. */
  product: (title: string | null) => string;
  /** The customer's own words about what went wrong. */
  quoted: (product: string, quote: string) => string;
  /** No words to quote (a rating alone): the problem the judgement found, else the rating. */
  problem: (product: string, tag: string | null) => string;
  actions: Record<ReplyAction, string>;
  channel: (channel: string) => string;
}

const q = (open: string, close: string) => (s: string) => `${open}${s}${close}`;

const PHRASES: Record<ReplyLanguage, Phrases> = {
  en: {
    hello: (n) => (n ? `Hi ${n},` : 'Hello,'),
    thanks: 'thank you for telling us.',
    product: (t) => (t ? `your ${t}` : 'your order'),
    quoted: (p, s) => `We are sorry about ${p}. You wrote ${q('“', '”')(s)}: that is not the experience we want you to have.`,
    problem: (p, tag) =>
      ({
        damaged: `We are sorry ${p} arrived damaged.`,
        quality: `We are sorry ${p} did not hold up the way it should.`,
        missing_item: `We are sorry ${p} arrived with something missing.`,
        wrong_item: `We are sorry ${p} was not what you ordered.`,
        shipping_delay: `We are sorry ${p} took far too long to reach you.`,
        refund: `We are sorry you are still waiting for your refund.`,
      })[tag ?? ''] ?? `We are sorry ${p} did not live up to what you expected.`,
    actions: {
      contact: 'We are contacting you directly to put this right.',
      replacement: 'We will send you a replacement.',
      refund: 'We will refund you.',
      batch_check: 'We are checking the rest of this batch so it does not happen to anyone else.',
      page_update: 'We are updating the product page so it describes this clearly.',
    },
    channel: (c) => `Please reach us at ${c} so we can sort this out with you directly.`,
  },
  es: {
    hello: (n) => (n ? `Hola, ${n}:` : 'Hola:'),
    thanks: 'gracias por contárnoslo.',
    product: (t) => (t ? `el producto «${t}»` : 'su pedido'),
    quoted: (p, s) => `Sentimos lo ocurrido con ${p}. Nos escribe ${q('«', '»')(s)}: no es la experiencia que queremos para usted.`,
    problem: (p, tag) =>
      ({
        damaged: `Sentimos que ${p} llegara dañado.`,
        quality: `Sentimos que ${p} no haya estado a la altura.`,
        missing_item: `Sentimos que a ${p} le faltara algo.`,
        wrong_item: `Sentimos que ${p} no fuera lo que pidió.`,
        shipping_delay: `Sentimos que ${p} tardara tanto en llegar.`,
        refund: 'Sentimos que siga esperando su reembolso.',
      })[tag ?? ''] ?? `Sentimos que ${p} no estuviera a la altura de lo que esperaba.`,
    actions: {
      contact: 'Nos pondremos en contacto con usted directamente para solucionarlo.',
      replacement: 'Le enviaremos un repuesto.',
      refund: 'Le devolveremos el importe.',
      batch_check: 'Estamos revisando el resto de este lote para que no le pase a nadie más.',
      page_update: 'Estamos actualizando la página del producto para que lo explique con claridad.',
    },
    channel: (c) => `Escríbanos a ${c} y lo resolvemos directamente con usted.`,
  },
  de: {
    hello: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
    thanks: 'danke, dass Sie uns das geschrieben haben.',
    product: (t) => (t ? `dem Produkt „${t}“` : 'Ihrer Bestellung'),
    quoted: (p, s) => `Es tut uns leid, was mit ${p} passiert ist. Sie schreiben ${q('„', '“')(s)}: So soll es bei uns nicht sein.`,
    problem: (p, tag) =>
      ({
        damaged: `Es tut uns leid, dass es mit ${p} beschädigt angekommen ist.`,
        quality: `Es tut uns leid, dass ${p} nicht gehalten hat, was es versprochen hat.`,
        missing_item: `Es tut uns leid, dass bei ${p} etwas gefehlt hat.`,
        wrong_item: `Es tut uns leid, dass Sie mit ${p} nicht das Bestellte bekommen haben.`,
        shipping_delay: `Es tut uns leid, dass es mit ${p} so lange gedauert hat.`,
        refund: 'Es tut uns leid, dass Sie noch auf Ihre Erstattung warten.',
      })[tag ?? ''] ?? `Es tut uns leid, dass Sie mit ${p} nicht zufrieden waren.`,
    actions: {
      contact: 'Wir melden uns direkt bei Ihnen, um das in Ordnung zu bringen.',
      replacement: 'Wir schicken Ihnen Ersatz.',
      refund: 'Wir erstatten Ihnen den Betrag.',
      batch_check: 'Wir prüfen den Rest dieser Charge, damit das niemandem sonst passiert.',
      page_update: 'Wir überarbeiten die Produktseite, damit sie das klar beschreibt.',
    },
    channel: (c) => `Schreiben Sie uns bitte an ${c}, dann klären wir das direkt mit Ihnen.`,
  },
  fr: {
    hello: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    thanks: 'merci de nous l’avoir signalé.',
    product: (t) => (t ? `le produit « ${t} »` : 'votre commande'),
    quoted: (p, s) =>
      `Nous sommes désolés pour ${p}. Vous nous écrivez ${q('« ', ' »')(s)} : ce n’est pas l’expérience que nous voulons vous offrir.`,
    problem: (p, tag) =>
      ({
        damaged: `Nous sommes désolés que ${p} soit arrivé abîmé.`,
        quality: `Nous sommes désolés que ${p} n’ait pas tenu ses promesses.`,
        missing_item: `Nous sommes désolés qu’il manquait quelque chose dans ${p}.`,
        wrong_item: `Nous sommes désolés que ${p} ne corresponde pas à ce que vous aviez commandé.`,
        shipping_delay: `Nous sommes désolés que ${p} ait mis autant de temps à arriver.`,
        refund: 'Nous sommes désolés que vous attendiez encore votre remboursement.',
      })[tag ?? ''] ?? `Nous sommes désolés que ${p} n’ait pas été à la hauteur de vos attentes.`,
    actions: {
      contact: 'Nous vous contactons directement pour arranger cela.',
      replacement: 'Nous vous envoyons un remplacement.',
      refund: 'Nous vous remboursons.',
      batch_check: 'Nous vérifions le reste de ce lot pour que cela n’arrive à personne d’autre.',
      page_update: 'Nous mettons à jour la fiche produit pour qu’elle le décrive clairement.',
    },
    channel: (c) => `Écrivez-nous à ${c} : nous réglerons cela directement avec vous.`,
  },
  it: {
    hello: (n) => (n ? `Gentile ${n},` : 'Gentile cliente,'),
    thanks: 'grazie per avercelo segnalato.',
    product: (t) => (t ? `il prodotto «${t}»` : 'il suo ordine'),
    quoted: (p, s) => `Ci dispiace per quanto successo con ${p}. Ci scrive ${q('«', '»')(s)}: non è l’esperienza che vogliamo offrirle.`,
    problem: (p, tag) =>
      ({
        damaged: `Ci dispiace che ${p} sia arrivato danneggiato.`,
        quality: `Ci dispiace che ${p} non sia stato all’altezza.`,
        missing_item: `Ci dispiace che in ${p} mancasse qualcosa.`,
        wrong_item: `Ci dispiace che ${p} non fosse quello che aveva ordinato.`,
        shipping_delay: `Ci dispiace che ${p} abbia impiegato così tanto ad arrivare.`,
        refund: 'Ci dispiace che stia ancora aspettando il rimborso.',
      })[tag ?? ''] ?? `Ci dispiace che ${p} non sia stato all’altezza delle sue aspettative.`,
    actions: {
      contact: 'La contattiamo direttamente per rimediare.',
      replacement: 'Le invieremo una sostituzione.',
      refund: 'La rimborseremo.',
      batch_check: 'Stiamo controllando il resto di questo lotto perché non succeda ad altri.',
      page_update: 'Stiamo aggiornando la pagina del prodotto perché lo descriva con chiarezza.',
    },
    channel: (c) => `Ci scriva a ${c} e risolveremo la questione direttamente con lei.`,
  },
  nl: {
    hello: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
    thanks: 'dank u dat u het ons laat weten.',
    product: (t) => (t ? `het product ‘${t}’` : 'uw bestelling'),
    quoted: (p, s) => `Het spijt ons wat er met ${p} is gebeurd. U schrijft ${q('‘', '’')(s)}: zo hoort het niet te gaan.`,
    problem: (p, tag) =>
      ({
        damaged: `Het spijt ons dat ${p} beschadigd is aangekomen.`,
        quality: `Het spijt ons dat ${p} niet heeft gehouden wat het belooft.`,
        missing_item: `Het spijt ons dat er iets ontbrak aan ${p}.`,
        wrong_item: `Het spijt ons dat ${p} niet was wat u had besteld.`,
        shipping_delay: `Het spijt ons dat ${p} zo lang onderweg was.`,
        refund: 'Het spijt ons dat u nog op uw terugbetaling wacht.',
      })[tag ?? ''] ?? `Het spijt ons dat ${p} niet aan uw verwachtingen voldeed.`,
    actions: {
      contact: 'We nemen rechtstreeks contact met u op om dit recht te zetten.',
      replacement: 'We sturen u een vervangend exemplaar.',
      refund: 'We betalen u het bedrag terug.',
      batch_check: 'We controleren de rest van deze partij, zodat het niemand anders overkomt.',
      page_update: 'We passen de productpagina aan, zodat die dit duidelijk beschrijft.',
    },
    channel: (c) => `Neem contact met ons op via ${c}, dan lossen we het rechtstreeks met u op.`,
  },
  pt: {
    hello: (n) => (n ? `Olá, ${n},` : 'Olá,'),
    thanks: 'obrigado por nos contar.',
    product: (t) => (t ? `o produto «${t}»` : 'a sua encomenda'),
    quoted: (p, s) => `Lamentamos o que aconteceu com ${p}. Escreveu-nos ${q('«', '»')(s)}: não é a experiência que queremos oferecer.`,
    problem: (p, tag) =>
      ({
        damaged: `Lamentamos que ${p} tenha chegado danificado.`,
        quality: `Lamentamos que ${p} não tenha estado à altura.`,
        missing_item: `Lamentamos que faltasse algo em ${p}.`,
        wrong_item: `Lamentamos que ${p} não fosse o que pediu.`,
        shipping_delay: `Lamentamos que ${p} tenha demorado tanto a chegar.`,
        refund: 'Lamentamos que ainda esteja à espera do reembolso.',
      })[tag ?? ''] ?? `Lamentamos que ${p} não tenha correspondido às suas expectativas.`,
    actions: {
      contact: 'Vamos contactá-lo diretamente para resolver isto.',
      replacement: 'Vamos enviar-lhe um substituto.',
      refund: 'Vamos reembolsá-lo.',
      batch_check: 'Estamos a verificar o resto deste lote para que não aconteça a mais ninguém.',
      page_update: 'Estamos a atualizar a página do produto para que o descreva com clareza.',
    },
    channel: (c) => `Fale connosco através de ${c} para resolvermos isto diretamente consigo.`,
  },
};

/** Words that mark the sentence where a reviewer says what went wrong, in the seven languages. */
const PROBLEM_CUES = new RegExp(
  [
    // en
    "broke|broken|damag|crack|smash|shatter|dent|crush|torn|rip|fell apart|came off|fray|loose|peel|scratch|rust|stain|stopp?ed|faulty|defect|missing|wrong|late|never|refund|disappoint|poor|cheap|leak|smell|fad|shrank|tiny|waste|return|\\bbut\\b|however|unfortunately|sadly|\\bnot\\b|n't",
    // es
    'roto|rota|rompi|dañad|defect|falta|equivoc|tarde|nunca|reembols|decepcion|mala|barat|desteñ|encogi|\\bpero\\b|lamentablemente|\\bno\\b',
    // de
    'kaputt|beschädig|gebrochen|gerissen|defekt|fehlt|falsch|spät|nie |erstatt|enttäusch|schlecht|billig|undicht|riecht|eingelaufen|\\baber\\b|leider|nicht|kein',
    // fr
    'cassé|abîm|déchir|défectu|manqu|mauvais|retard|jamais|rembours|déçu|décevant|fuit|odeur|rétréci|délavé|\\bmais\\b|malheureusement|\\bpas\\b',
    // it
    'rott|danneggi|strapp|difett|manca|sbagliat|ritardo|mai |rimbors|delus|scadente|perde|puzza|ristrett|sbiadit|\\bma\\b|purtroppo|\\bnon\\b',
    // nl
    'kapot|beschadig|gescheurd|defect|ontbr|verkeerd|laat|nooit|terugbetal|teleurgesteld|slecht|lekt|stinkt|gekrompen|verkleurd|\\bmaar\\b|helaas|\\bniet\\b|\\bgeen\\b',
    // pt
    'partid|quebr|danific|rasg|defeit|falt|errad|atras|nunca|reembols|decepcion|desilud|péssim|vaza|encolh|desbot|\\bmas\\b|infelizmente|\\bnão\\b',
  ].join('|'),
  'iu',
);

const MAX_QUOTE = 140;

/**
 * The reviewer's own sentence that says what went wrong: the body's sentence with the most
 * problem words (between equals, the fuller one); the title when the body names no problem (it
 * is a headline, the body says it in full); cut at a word near 140 characters.
 */
export function problemQuote(title: string, body: string): string | null {
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/[.!?…]+$/u, '');
  const sentences = body
    .split(/(?<=[.!?…])\s+|\n+/)
    .map(clean)
    .filter((s) => /\p{L}{2,}/u.test(s));
  const cues = (s: string) => (s.match(new RegExp(PROBLEM_CUES.source, 'giu')) ?? []).length;
  const heading = clean(title);
  if (/\p{L}{2,}/u.test(heading) && (sentences.length === 0 || sentences.every((s) => cues(s) === 0)) && cues(heading) > 0) {
    sentences.unshift(heading);
  }
  if (sentences.length === 0) return /\p{L}{2,}/u.test(heading) ? cut(heading) : null;
  let best = sentences[0]!;
  let bestScore = -1;
  for (const s of sentences) {
    const score = cues(s);
    if (score > bestScore || (score === bestScore && Math.min(s.length, MAX_QUOTE) > Math.min(best.length, MAX_QUOTE))) {
      best = s;
      bestScore = score;
    }
  }
  return cut(best);
}

function cut(sentence: string): string {
  if (sentence.length <= MAX_QUOTE) return sentence;
  const head = sentence.slice(0, MAX_QUOTE);
  const space = head.lastIndexOf(' ');
  return `${head.slice(0, space > MAX_QUOTE * 0.6 ? space : MAX_QUOTE)}…`;
}

const PROBLEM_ORDER = ['damaged', 'missing_item', 'wrong_item', 'quality', 'shipping_delay', 'refund'];

/** A starting point for the acknowledgement: the reviewer's name, the product, and what they reported. */
export function suggestAcknowledgement(input: {
  reviewerName?: string | null;
  productTitle?: string | null;
  problemTags: readonly string[];
  title?: string | null;
  body?: string | null;
  language?: string | null;
}): string {
  const p = PHRASES[replyLanguage(input.language)];
  const first = input.reviewerName?.trim().split(/\s+/)[0] ?? null;
  const product = p.product(input.productTitle?.trim() || null);
  const quote = problemQuote(input.title ?? '', input.body ?? '');
  const tag = PROBLEM_ORDER.find((t) => input.problemTags.includes(t)) ?? null;
  const sorry = quote ? p.quoted(product, quote) : p.problem(product, tag);
  return `${p.hello(first)} ${p.thanks} ${sorry}`;
}

/** The action sentences and the official-channel sentence in the reply's language. */
export function replyParts(language: string | null | undefined): { actions: Record<ReplyAction, string>; channel: (c: string) => string } {
  const p = PHRASES[replyLanguage(language)];
  return { actions: p.actions, channel: p.channel };
}
