// The review request e-mail, pure: one phrase book per language Trustloop reads and writes. The
// text asks for an honest review and nothing else: no discount, no gift, no entry into a draw,
// and no hint of which rating to give (a test reads every phrase book for such words).

export const REQUEST_LANGUAGES = ['en', 'es', 'de', 'fr', 'it', 'nl', 'pt'] as const;
export type RequestLanguage = (typeof REQUEST_LANGUAGES)[number];

export type RequestMedia = 'none' | 'photo' | 'video';

interface PhraseBook {
  subject: (store: string, step: number) => string;
  greeting: (name: string | null) => string;
  ask: (store: string, products: string) => string;
  reminder: string;
  media: Record<Exclude<RequestMedia, 'none'>, string>;
  honest: string;
  link: string;
  unsubscribe: string;
  and: string;
}

const BOOKS: Record<RequestLanguage, PhraseBook> = {
  en: {
    subject: (s, step) => (step === 0 ? `How is your order from ${s}?` : `A quick reminder from ${s}: how is your order?`),
    greeting: (n) => (n ? `Hello ${n},` : 'Hello,'),
    ask: (s, p) => `Your order from ${s} arrived a little while ago. Would you tell other customers what you think of ${p}?`,
    reminder: 'We asked a few days ago; if you have a minute, your review still helps.',
    media: {
      photo: 'A photo of it in use helps other customers most.',
      video: 'A short video of it in use helps other customers most.',
    },
    honest: 'Please write what you really think, good or bad: every review is published as written.',
    link: 'Write your review:',
    unsubscribe: 'No more review requests from us:',
    and: 'and',
  },
  es: {
    subject: (s, step) => (step === 0 ? `¿Qué tal tu pedido de ${s}?` : `Un recordatorio de ${s}: ¿qué tal tu pedido?`),
    greeting: (n) => (n ? `Hola ${n}:` : 'Hola:'),
    ask: (s, p) => `Tu pedido de ${s} llegó hace unos días. ¿Nos cuentas a otros clientes qué te parece ${p}?`,
    reminder: 'Te lo preguntamos hace unos días; si tienes un minuto, tu opinión sigue ayudando.',
    media: {
      photo: 'Una foto del producto en uso es lo que más ayuda a otros clientes.',
      video: 'Un vídeo corto del producto en uso es lo que más ayuda a otros clientes.',
    },
    honest: 'Escribe lo que de verdad piensas, sea bueno o malo: publicamos cada opinión tal como está escrita.',
    link: 'Escribe tu opinión:',
    unsubscribe: 'No quiero más solicitudes de opinión:',
    and: 'y',
  },
  de: {
    subject: (s, step) => (step === 0 ? `Wie gefällt Ihnen Ihre Bestellung bei ${s}?` : `Kurze Erinnerung von ${s}: Wie gefällt Ihnen Ihre Bestellung?`),
    greeting: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
    ask: (s, p) => `Ihre Bestellung bei ${s} ist vor einigen Tagen angekommen. Möchten Sie anderen Kundinnen und Kunden erzählen, wie Ihnen ${p} gefällt?`,
    reminder: 'Wir hatten vor ein paar Tagen gefragt; wenn Sie eine Minute haben, hilft Ihre Bewertung weiterhin.',
    media: {
      photo: 'Ein Foto im Gebrauch hilft anderen am meisten.',
      video: 'Ein kurzes Video im Gebrauch hilft anderen am meisten.',
    },
    honest: 'Schreiben Sie bitte, was Sie wirklich denken, ob gut oder schlecht: Jede Bewertung wird so veröffentlicht, wie sie geschrieben ist.',
    link: 'Zur Bewertung:',
    unsubscribe: 'Keine Bewertungsanfragen mehr erhalten:',
    and: 'und',
  },
  fr: {
    subject: (s, step) => (step === 0 ? `Que pensez-vous de votre commande ${s} ?` : `Petit rappel de ${s} : que pensez-vous de votre commande ?`),
    greeting: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    ask: (s, p) => `Votre commande ${s} est arrivée il y a quelques jours. Voulez-vous dire aux autres clients ce que vous pensez de ${p} ?`,
    reminder: 'Nous vous l’avons demandé il y a quelques jours ; si vous avez une minute, votre avis aide toujours.',
    media: {
      photo: 'Une photo du produit utilisé aide le plus les autres clients.',
      video: 'Une courte vidéo du produit utilisé aide le plus les autres clients.',
    },
    honest: 'Écrivez ce que vous pensez vraiment, en bien ou en mal : chaque avis est publié tel qu’il est écrit.',
    link: 'Donner votre avis :',
    unsubscribe: 'Ne plus recevoir de demandes d’avis :',
    and: 'et',
  },
  it: {
    subject: (s, step) => (step === 0 ? `Com’è il tuo ordine da ${s}?` : `Un promemoria da ${s}: com’è il tuo ordine?`),
    greeting: (n) => (n ? `Ciao ${n},` : 'Ciao,'),
    ask: (s, p) => `Il tuo ordine da ${s} è arrivato qualche giorno fa. Vuoi raccontare agli altri clienti cosa pensi di ${p}?`,
    reminder: 'Te l’abbiamo chiesto qualche giorno fa; se hai un minuto, la tua recensione aiuta ancora.',
    media: {
      photo: 'Una foto del prodotto in uso è ciò che aiuta di più gli altri clienti.',
      video: 'Un breve video del prodotto in uso è ciò che aiuta di più gli altri clienti.',
    },
    honest: 'Scrivi quello che pensi davvero, nel bene o nel male: ogni recensione viene pubblicata così come è scritta.',
    link: 'Scrivi la tua recensione:',
    unsubscribe: 'Non ricevere più richieste di recensione:',
    and: 'e',
  },
  nl: {
    subject: (s, step) => (step === 0 ? `Hoe bevalt je bestelling bij ${s}?` : `Een herinnering van ${s}: hoe bevalt je bestelling?`),
    greeting: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
    ask: (s, p) => `Je bestelling bij ${s} is een paar dagen geleden aangekomen. Wil je andere klanten vertellen wat je van ${p} vindt?`,
    reminder: 'We vroegen het een paar dagen geleden; als je een minuutje hebt, helpt je review nog steeds.',
    media: {
      photo: 'Een foto van het product in gebruik helpt andere klanten het meest.',
      video: 'Een korte video van het product in gebruik helpt andere klanten het meest.',
    },
    honest: 'Schrijf wat je echt vindt, goed of slecht: elke review wordt gepubliceerd zoals hij is geschreven.',
    link: 'Schrijf je review:',
    unsubscribe: 'Geen reviewverzoeken meer ontvangen:',
    and: 'en',
  },
  pt: {
    subject: (s, step) => (step === 0 ? `Como está a sua encomenda da ${s}?` : `Um lembrete da ${s}: como está a sua encomenda?`),
    greeting: (n) => (n ? `Olá ${n},` : 'Olá,'),
    ask: (s, p) => `A sua encomenda da ${s} chegou há alguns dias. Quer contar a outros clientes o que acha de ${p}?`,
    reminder: 'Perguntámos há alguns dias; se tiver um minuto, a sua avaliação continua a ajudar.',
    media: {
      photo: 'Uma foto do produto em uso é o que mais ajuda outros clientes.',
      video: 'Um vídeo curto do produto em uso é o que mais ajuda outros clientes.',
    },
    honest: 'Escreva o que realmente pensa, bom ou mau: cada avaliação é publicada tal como foi escrita.',
    link: 'Escreva a sua avaliação:',
    unsubscribe: 'Não receber mais pedidos de avaliação:',
    and: 'e',
  },
};

/** Where a language Trustloop writes is the main one, for customers whose own language is not known. */
const COUNTRY_LANGUAGE: Record<string, RequestLanguage> = {
  DE: 'de', AT: 'de', LI: 'de',
  ES: 'es', MX: 'es', AR: 'es', CO: 'es', CL: 'es', PE: 'es', UY: 'es',
  FR: 'fr', MC: 'fr', LU: 'fr',
  IT: 'it', SM: 'it',
  NL: 'nl',
  PT: 'pt', BR: 'pt',
};

/** The language to write in: the customer's when the store writes it, else their country's, else the store's default. */
export function requestLanguage(
  customer: string | null | undefined,
  country: string | null | undefined,
  offered: readonly RequestLanguage[],
  fallback: RequestLanguage,
): RequestLanguage {
  const base = customer?.toLowerCase().split(/[-_]/)[0] ?? '';
  if ((offered as readonly string[]).includes(base)) return base as RequestLanguage;
  const byCountry = country ? COUNTRY_LANGUAGE[country.toUpperCase()] : undefined;
  return byCountry && offered.includes(byCountry) ? byCountry : fallback;
}

export interface RequestEmailModel {
  language: RequestLanguage;
  storeName: string;
  customerName: string | null;
  /** The products asked about, each with the address where its review is written. */
  products: { name: string; url: string }[];
  /** 0: the request; 1 and 2: reminders. */
  step: number;
  media: RequestMedia;
  unsubscribeUrl: string;
}

function list(names: string[], and: string): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}

/** Subject and plain text. Customer-supplied names are cut to a sane length; nothing is interpreted. */
export function buildRequestEmail(m: RequestEmailModel): { subject: string; text: string } {
  const b = BOOKS[m.language];
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const names = m.products.map((p) => clip(p.name.replace(/\s+/g, ' ').trim(), 120));
  const firstName = m.customerName ? clip(m.customerName.trim().split(/\s+/)[0] ?? '', 60) || null : null;
  const lines = [b.greeting(firstName), '', b.ask(m.storeName, list(names, b.and))];
  if (m.step > 0) lines.push(b.reminder);
  if (m.media !== 'none') lines.push(b.media[m.media]);
  lines.push(b.honest, '');
  for (const [i, p] of m.products.entries()) lines.push(m.products.length > 1 ? `${names[i]}: ${p.url}` : `${b.link} ${p.url}`);
  lines.push('', m.storeName, '', `${b.unsubscribe} ${m.unsubscribeUrl}`);
  return { subject: b.subject(m.storeName, m.step), text: lines.join('\n') };
}
