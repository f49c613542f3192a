import type { RequestLanguage } from './review-request-email';
import type { AuditEvent } from './audit';
import { InvalidInput } from './errors';

// The customer's consent to reuse their photo, video or words, pure: requested → granted or
// declined; a grant can be revoked, and ends by itself at its expiry. A grant names where the
// content may be used (product page, social, ads). Nothing is usable without a recorded grant,
// and a grant is only ever recorded as the customer's answer: through their signed link, or by
// staff writing down how the customer said yes.

export const CONSENT_STATES = ['none', 'requested', 'granted', 'declined', 'revoked', 'expired'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export const CONSENT_SCOPES = ['product_page', 'social', 'ads'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export const CONSENT_SCOPE_LABELS: Record<ConsentScope, string> = { product_page: 'product page', social: 'social media', ads: 'ads' };

/** How an answer reached Trustloop: the customer's signed link, or staff recording it with a note. */
export const CONSENT_VIA = ['link', 'staff'] as const;
export type ConsentVia = (typeof CONSENT_VIA)[number];

export interface Consent {
  /** As stored: expired is worked out from `expiresAt`, never stored ahead of time. */
  state: Exclude<ConsentState, 'expired'>;
  scope: ConsentScope[];
  expiresAt: Date | null;
  requestedAt: Date | null;
  answeredAt: Date | null;
}

export const NO_CONSENT: Consent = { state: 'none', scope: [], expiresAt: null, requestedAt: null, answeredAt: null };

/** The state as of `now`: a grant past its expiry is expired. */
export function consentState(c: Consent, now: Date): ConsentState {
  if (c.state === 'granted' && c.expiresAt && c.expiresAt.getTime() <= now.getTime()) return 'expired';
  return c.state;
}

/** Where the content may be used now: the granted scope while the grant lasts, else nowhere. */
export function usableScopes(c: Consent, now: Date): ConsentScope[] {
  return consentState(c, now) === 'granted' ? CONSENT_SCOPES.filter((s) => c.scope.includes(s)) : [];
}

export type ConsentCommand =
  | { kind: 'request' }
  | { kind: 'grant'; scope: readonly string[]; expiresAt: Date | null; via: ConsentVia; note?: string | null }
  | { kind: 'decline'; via: ConsentVia; note?: string | null }
  | { kind: 'revoke'; via: ConsentVia; note?: string | null };

export type ConsentChange = { changed: true; consent: Consent; event: AuditEvent } | { changed: false; notice: string };

/** Applies one command; an answer that is not the customer's (no request, no scope, no note) is refused. */
export function applyConsent(c: Consent, cmd: ConsentCommand, now: Date): ConsentChange {
  const state = consentState(c, now);
  const same = (notice: string): ConsentChange => ({ changed: false, notice });
  const staffNote = (x: { via: ConsentVia; note?: string | null }) => {
    if (x.via === 'staff' && !x.note?.trim()) {
      throw new InvalidInput('Write down how the customer answered (an e-mail, a DM…): consent is recorded as their answer.', ['note']);
    }
  };
  switch (cmd.kind) {
    case 'request':
      if (state === 'requested') return same('Usage rights were already requested.');
      if (state === 'granted') return same('The customer has already granted usage rights.');
      return { changed: true, consent: { ...NO_CONSENT, state: 'requested', requestedAt: now }, event: 'ugc_consent_requested' };
    case 'grant': {
      if (state !== 'requested') return same('Request usage rights first: consent is recorded as the customer’s answer.');
      const scope = CONSENT_SCOPES.filter((s) => cmd.scope.includes(s));
      if (scope.length === 0) throw new InvalidInput('Choose where the customer agreed it may be used.', ['scope']);
      if (cmd.expiresAt && cmd.expiresAt.getTime() <= now.getTime())
        throw new InvalidInput('The expiry must be in the future.', ['expiresAt']);
      staffNote(cmd);
      return {
        changed: true,
        consent: { ...c, state: 'granted', scope, expiresAt: cmd.expiresAt, answeredAt: now },
        event: 'ugc_consent_granted',
      };
    }
    case 'decline':
      if (state !== 'requested') return same('Request usage rights first: consent is recorded as the customer’s answer.');
      staffNote(cmd);
      return {
        changed: true,
        consent: { ...c, state: 'declined', scope: [], expiresAt: null, answeredAt: now },
        event: 'ugc_consent_declined',
      };
    case 'revoke':
      if (state !== 'granted')
        return same(state === 'expired' ? 'The consent has already expired.' : 'There is no granted consent to revoke.');
      staffNote(cmd);
      return { changed: true, consent: { ...c, state: 'revoked', answeredAt: now }, event: 'ugc_consent_revoked' };
  }
}

// ---- Asking the customer -------------------------------------------------------------------

/** How long a grant may last from the customer's answer, as the team offers it (months; null: until withdrawn). */
export const GRANT_DURATIONS = [3, 6, 12, 24, null] as const;
export type GrantMonths = (typeof GRANT_DURATIONS)[number];

/** The answer links work this long; a customer who wants to withdraw a grant can still do so after. */
export const ANSWER_LINK_DAYS = 30;

/** Where the request was sent from and through what: e-mail, or text the team sends themselves. */
export const REQUEST_CHANNELS = ['email', 'copy'] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

/** The customer's possible answers through the links: yes, no, or (after a yes) withdraw. */
export const LINK_ANSWERS = ['grant', 'decline'] as const;
export type LinkAnswer = (typeof LINK_ANSWERS)[number];

export function grantExpiry(months: number | null, answeredAt: Date): Date | null {
  if (months === null) return null;
  const d = new Date(answeredAt.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

export function answerLinksExpire(requestedAt: Date): Date {
  return new Date(requestedAt.getTime() + ANSWER_LINK_DAYS * 86_400_000);
}

/** The consent a stored review carries. A grant recorded before scopes were asked for counts for the uses the team approved under it. */
export function reviewConsent(r: {
  ugcConsent: string;
  ugcConsentScope: readonly string[];
  ugcScope: readonly string[];
  ugcConsentExpiresAt: Date | null;
  ugcConsentRequestedAt: Date | null;
  ugcConsentAt: Date | null;
}): Consent {
  const state = (['none', 'requested', 'granted', 'declined', 'revoked'] as const).find((s) => s === r.ugcConsent) ?? 'none';
  const granted = r.ugcConsentScope.length > 0 ? r.ugcConsentScope : r.ugcScope;
  return {
    state,
    scope: CONSENT_SCOPES.filter((s) => granted.includes(s)),
    expiresAt: r.ugcConsentExpiresAt,
    requestedAt: r.ugcConsentRequestedAt,
    answeredAt: r.ugcConsentAt,
  };
}

/** What a link answer means for the consent as it stands: a "no" after a grant withdraws it. */
export function linkCommand(current: Consent, answer: LinkAnswer, request: { scope: readonly string[]; grantMonths: number | null }, now: Date): ConsentCommand {
  if (answer === 'grant') return { kind: 'grant', scope: request.scope, expiresAt: grantExpiry(request.grantMonths, now), via: 'link' };
  return consentState(current, now) === 'granted' ? { kind: 'revoke', via: 'link' } : { kind: 'decline', via: 'link' };
}

export interface UsageRightsMessage {
  subject: string;
  text: string;
}

interface RightsBook {
  /** For the date the links work until. */
  locale: string;
  subject: (product: string | null) => string;
  greeting: (name: string | null) => string;
  what: { words: string; one: string; many: string };
  places: Record<ConsentScope, string>;
  and: string;
  howLong: (months: number | null) => string;
  ask: (store: string, product: string | null, what: string, where: string, howLong: string) => string;
  yes: string;
  no: string;
  linksNote: (until: string) => string;
  replyAsk: string;
  replyNote: string;
}

// One phrase book per language Trustloop writes. Each asks plainly, names every place and how
// long, offers nothing in return, and says how to say no or take a yes back.
const RIGHTS_BOOKS: Record<RequestLanguage, RightsBook> = {
  en: {
    locale: 'en-GB',
    subject: (p) => `May we show your review${p ? ` of ${p}` : ''}?`,
    greeting: (n) => (n ? `Hello ${n},` : 'Hello,'),
    what: { words: 'the words', one: 'the photo or video', many: 'the photos and videos' },
    places: { product_page: 'on our product page', social: 'on our social media', ads: 'in our ads' },
    and: 'and',
    howLong: (m) => (m === null ? 'until you tell us to stop' : `for ${m} months from your answer, or until you tell us to stop`),
    ask: (s, p, what, where, howLong) =>
      `Thank you for your review${p ? ` of ${p}` : ''}. May ${s} show ${what} you shared ${where}, with your first name, ${howLong}?`,
    yes: 'Yes, you may use it:',
    no: "No, please don't:",
    linksNote: (until) =>
      `Nothing changes about your review either way, and you get nothing for saying yes. These links work until ${until}; if you say yes and change your mind later, the second link withdraws it at any time.`,
    replyAsk: 'Please reply to this message with "yes" or "no".',
    replyNote: 'Nothing changes about your review either way, and you get nothing for saying yes. If you say yes and change your mind later, tell us and we will stop.',
  },
  es: {
    locale: 'es-ES',
    subject: (p) => `¿Podemos mostrar tu opinión${p ? ` sobre ${p}` : ''}?`,
    greeting: (n) => (n ? `Hola ${n}:` : 'Hola:'),
    what: { words: 'el texto', one: 'la foto o el vídeo', many: 'las fotos y los vídeos' },
    places: { product_page: 'en la página del producto', social: 'en nuestras redes sociales', ads: 'en nuestros anuncios' },
    and: 'y',
    howLong: (m) => (m === null ? 'hasta que nos pidas que paremos' : `durante ${m} meses desde tu respuesta, o hasta que nos pidas que paremos`),
    ask: (s, p, what, where, howLong) =>
      `Gracias por tu opinión${p ? ` sobre ${p}` : ''}. ¿Permites que ${s} muestre ${what} de tu opinión ${where}, con tu nombre de pila, ${howLong}?`,
    yes: 'Sí, podéis usarla:',
    no: 'No, preferiría que no:',
    linksNote: (until) =>
      `Tu opinión no cambia en ningún caso, y no recibes nada a cambio por decir que sí. Estos enlaces funcionan hasta el ${until}; si dices que sí y luego cambias de idea, el segundo enlace lo retira en cualquier momento.`,
    replyAsk: 'Responde a este mensaje con «sí» o «no».',
    replyNote: 'Tu opinión no cambia en ningún caso, y no recibes nada a cambio por decir que sí. Si dices que sí y luego cambias de idea, dínoslo y dejaremos de usarla.',
  },
  de: {
    locale: 'de-DE',
    subject: (p) => `Dürfen wir Ihre Bewertung${p ? ` zu ${p}` : ''} zeigen?`,
    greeting: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
    what: { words: 'den Text', one: 'das Foto oder Video', many: 'die Fotos und Videos' },
    places: { product_page: 'auf unserer Produktseite', social: 'in unseren sozialen Medien', ads: 'in unserer Werbung' },
    and: 'und',
    howLong: (m) => (m === null ? 'bis Sie uns bitten aufzuhören' : `für ${m} Monate ab Ihrer Antwort oder bis Sie uns bitten aufzuhören`),
    ask: (s, p, what, where, howLong) =>
      `Vielen Dank für Ihre Bewertung${p ? ` zu ${p}` : ''}. Darf ${s} ${what} aus Ihrer Bewertung ${where} mit Ihrem Vornamen zeigen, ${howLong}?`,
    yes: 'Ja, Sie dürfen es verwenden:',
    no: 'Nein, bitte nicht:',
    linksNote: (until) =>
      `An Ihrer Bewertung ändert sich so oder so nichts, und Sie bekommen nichts dafür, dass Sie Ja sagen. Diese Links funktionieren bis zum ${until}; wenn Sie Ja sagen und es sich später anders überlegen, zieht der zweite Link Ihre Zustimmung jederzeit zurück.`,
    replyAsk: 'Bitte antworten Sie auf diese Nachricht mit „Ja“ oder „Nein“.',
    replyNote: 'An Ihrer Bewertung ändert sich so oder so nichts, und Sie bekommen nichts dafür, dass Sie Ja sagen. Wenn Sie Ja sagen und es sich später anders überlegen, sagen Sie es uns, und wir hören auf.',
  },
  fr: {
    locale: 'fr-FR',
    subject: (p) => `Pouvons-nous montrer votre avis${p ? ` sur ${p}` : ''} ?`,
    greeting: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
    what: { words: 'le texte', one: 'la photo ou la vidéo', many: 'les photos et les vidéos' },
    places: { product_page: 'sur notre page produit', social: 'sur nos réseaux sociaux', ads: 'dans nos publicités' },
    and: 'et',
    howLong: (m) => (m === null ? "jusqu'à ce que vous nous demandiez d'arrêter" : `pendant ${m} mois à partir de votre réponse, ou jusqu'à ce que vous nous demandiez d'arrêter`),
    ask: (s, p, what, where, howLong) =>
      `Merci pour votre avis${p ? ` sur ${p}` : ''}. Accepteriez-vous que ${s} montre ${what} de votre avis ${where}, avec votre prénom, ${howLong} ?`,
    yes: 'Oui, vous pouvez l’utiliser :',
    no: 'Non, merci :',
    linksNote: (until) =>
      `Votre avis ne change pas, quelle que soit votre réponse, et vous ne recevez rien en échange d’un oui. Ces liens fonctionnent jusqu’au ${until} ; si vous dites oui et changez d’avis plus tard, le second lien le retire à tout moment.`,
    replyAsk: 'Répondez simplement à ce message par « oui » ou « non ».',
    replyNote: 'Votre avis ne change pas, quelle que soit votre réponse, et vous ne recevez rien en échange d’un oui. Si vous dites oui et changez d’avis plus tard, dites-le-nous et nous arrêterons.',
  },
  it: {
    locale: 'it-IT',
    subject: (p) => `Possiamo mostrare la tua recensione${p ? ` di ${p}` : ''}?`,
    greeting: (n) => (n ? `Ciao ${n},` : 'Ciao,'),
    what: { words: 'il testo', one: 'la foto o il video', many: 'le foto e i video' },
    places: { product_page: 'sulla pagina del prodotto', social: 'sui nostri social', ads: 'nelle nostre pubblicità' },
    and: 'e',
    howLong: (m) => (m === null ? 'finché non ci chiedi di smettere' : `per ${m} mesi dalla tua risposta, o finché non ci chiedi di smettere`),
    ask: (s, p, what, where, howLong) =>
      `Grazie per la tua recensione${p ? ` di ${p}` : ''}. ${s} può mostrare ${what} della tua recensione ${where}, con il tuo nome, ${howLong}?`,
    yes: 'Sì, potete usarla:',
    no: 'No, preferisco di no:',
    linksNote: (until) =>
      `La tua recensione non cambia in nessun caso, e non ricevi niente in cambio del sì. Questi link funzionano fino al ${until}; se dici sì e poi cambi idea, il secondo link lo ritira in qualsiasi momento.`,
    replyAsk: 'Rispondi a questo messaggio con «sì» o «no».',
    replyNote: 'La tua recensione non cambia in nessun caso, e non ricevi niente in cambio del sì. Se dici sì e poi cambi idea, diccelo e smetteremo.',
  },
  nl: {
    locale: 'nl-NL',
    subject: (p) => `Mogen we je review${p ? ` van ${p}` : ''} laten zien?`,
    greeting: (n) => (n ? `Hallo ${n},` : 'Hallo,'),
    what: { words: 'de tekst', one: 'de foto of video', many: 'de foto’s en video’s' },
    places: { product_page: 'op onze productpagina', social: 'op onze sociale media', ads: 'in onze advertenties' },
    and: 'en',
    howLong: (m) => (m === null ? 'tot je ons vraagt te stoppen' : `${m} maanden vanaf je antwoord, of tot je ons vraagt te stoppen`),
    ask: (s, p, what, where, howLong) =>
      `Bedankt voor je review${p ? ` van ${p}` : ''}. Mag ${s} ${what} uit je review ${where} laten zien, met je voornaam, ${howLong}?`,
    yes: 'Ja, jullie mogen het gebruiken:',
    no: 'Nee, liever niet:',
    linksNote: (until) =>
      `Aan je review verandert hoe dan ook niets, en je krijgt niets voor een ja. Deze links werken tot ${until}; zeg je ja en bedenk je je later, dan trekt de tweede link het op elk moment in.`,
    replyAsk: 'Beantwoord dit bericht met "ja" of "nee".',
    replyNote: 'Aan je review verandert hoe dan ook niets, en je krijgt niets voor een ja. Zeg je ja en bedenk je je later, laat het ons weten en we stoppen.',
  },
  pt: {
    locale: 'pt-PT',
    subject: (p) => `Podemos mostrar a sua avaliação${p ? ` de ${p}` : ''}?`,
    greeting: (n) => (n ? `Olá ${n},` : 'Olá,'),
    what: { words: 'o texto', one: 'a foto ou o vídeo', many: 'as fotos e os vídeos' },
    places: { product_page: 'na página do produto', social: 'nas nossas redes sociais', ads: 'nos nossos anúncios' },
    and: 'e',
    howLong: (m) => (m === null ? 'até nos pedir para pararmos' : `durante ${m} meses a partir da sua resposta, ou até nos pedir para pararmos`),
    ask: (s, p, what, where, howLong) =>
      `Obrigado pela sua avaliação${p ? ` de ${p}` : ''}. Podemos mostrar ${what} da sua avaliação ${where}, com o seu primeiro nome, ${howLong}?`,
    yes: 'Sim, podem usar:',
    no: 'Não, prefiro que não:',
    linksNote: (until) =>
      `A sua avaliação não muda em nenhum caso, e não recebe nada em troca de dizer que sim. Estes links funcionam até ${until}; se disser que sim e mudar de ideias mais tarde, o segundo link retira-o a qualquer momento.`,
    replyAsk: 'Responda a esta mensagem com «sim» ou «não».',
    replyNote: 'A sua avaliação não muda em nenhum caso, e não recebe nada em troca de dizer que sim. Se disser que sim e mudar de ideias mais tarde, diga-nos e paramos.',
  },
};

/**
 * The message asking for usage rights, in plain text, exactly as the customer reads it, in the
 * language the review was written in when Trustloop writes it. It names every place asked for and
 * for how long, offers nothing in return, and says how to say no or change their mind later.
 */
export function usageRightsMessage(p: {
  store: string;
  language: RequestLanguage;
  customerName: string | null;
  productTitle: string | null;
  media: number;
  scope: readonly ConsentScope[];
  grantMonths: number | null;
  note: string | null;
  /** The signed answer links; null when the store has no public address for them: the customer replies instead. */
  grantUrl: string | null;
  declineUrl: string | null;
  linkExpiresAt: Date;
}): UsageRightsMessage {
  const b = RIGHTS_BOOKS[p.language];
  const what = p.media > 0 ? (p.media === 1 ? b.what.one : b.what.many) : b.what.words;
  const places = p.scope.map((s) => b.places[s]);
  const where = places.length > 1 ? `${places.slice(0, -1).join(', ')} ${b.and} ${places.at(-1)}` : (places[0] ?? '');
  const until = p.linkExpiresAt.toLocaleDateString(b.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const lines = [
    b.greeting(p.customerName),
    b.ask(p.store, p.productTitle, what, where, b.howLong(p.grantMonths)),
    ...(p.note?.trim() ? [p.note.trim()] : []),
    ...(p.grantUrl && p.declineUrl ? [`${b.yes} ${p.grantUrl}`, `${b.no} ${p.declineUrl}`, b.linksNote(until)] : [b.replyAsk, b.replyNote]),
    `${p.store}`,
  ];
  return { subject: b.subject(p.productTitle).slice(0, 200), text: lines.join('\n\n') };
}

// ---- the library (/trustloop ugc) ----------------------------------------------------------

export interface UgcItem {
  reviewId: number;
  rating: number;
  productTitle: string | null;
  reviewerName: string | null;
  media: number;
  state: ConsentState;
  /** Where it may be used now; empty unless a grant is recorded and current. */
  usable: ConsentScope[];
  expiresAt: Date | null;
  channel: string | null;
  ts: string | null;
}

export interface UgcLibrary {
  usable: UgcItem[];
  notUsable: UgcItem[];
  /** Not-usable items by consent state (requested, declined, revoked, expired, none). */
  byState: Partial<Record<ConsentState, number>>;
}
