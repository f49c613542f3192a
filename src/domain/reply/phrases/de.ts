import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// German, with "Sie". Plain words, short sentences, no legal tone; say what is known, what happens
// next and by when, and never promise what the store does not control (an arrival day). After the
// salutation ("Hallo Anna,") a German letter goes on in lower case, so the first part does too.

/** "einen Werktag", "3 Werktage", "5–10 Werktage" (accusative: how long something takes). */
const days = ([a, b]: DayRange) => (a === b ? (a === 1 ? 'einen Werktag' : `${a} Werktage`) : `${a}–${b} Werktage`);
/** "innerhalb von einem Werktag", "innerhalb von 5–10 Werktagen" (dative). */
const within = ([a, b]: DayRange) => `innerhalb von ${a === b ? (a === 1 ? 'einem Werktag' : `${a} Werktagen`) : `${a}–${b} Werktagen`}`;
/** "Tagen" after "innerhalb von" (dative), one or many. */
const calendarDays = (n: number) => (n === 1 ? 'einem Tag' : `${n} Tagen`);
/** The order: "Ihre Bestellung #1042" (nominative, accusative) or "Ihrer Bestellung #1042" (dative). */
const ord = (o: string | null, dative = false) => `Ihre${dative ? 'r' : ''} Bestellung${o ? ` ${o}` : ''}`;
/** Who takes the next step: a named person from the team (third person), or the team (we). */
const who = (owner: string | null, one: string, we: string) => (owner ? `${owner} aus unserem Team ${one}` : `Wir ${we}`);

const ISSUE: Record<ReplyType, (o: string | null) => string> = {
  delay: (o) => `${ord(o)} ist noch nicht bei Ihnen angekommen und ist länger unterwegs als vorgesehen.`,
  order_status: (o) => `Sie möchten wissen, wo ${ord(o)} gerade ist.`,
  damage: (o) => `Ein Artikel aus ${ord(o, true)} ist beschädigt angekommen.`,
  missing: (o) => `In ${ord(o, true)} fehlt etwas.`,
  wrong_item: (o) => `In ${ord(o, true)} war nicht das, was Sie bestellt haben.`,
  quality: (o) => `Ein Artikel aus ${ord(o, true)} hat nicht so lange gehalten, wie er sollte.`,
  return: (o) => `Sie möchten etwas aus ${ord(o, true)} zurücksenden.`,
  exchange: (o) => `Sie möchten etwas aus ${ord(o, true)} umtauschen.`,
  refund: (o) => `Sie warten noch auf die Erstattung für ${ord(o)}.`,
  cancel: (o) => `Sie möchten ${ord(o)} stornieren.`,
  address_change: (o) => `Die Lieferadresse für ${ord(o)} soll geändert werden.`,
  dispute: (o) => `Sie haben die Zahlung für ${ord(o)} bei Ihrem Zahlungsanbieter beanstandet.`,
  // The thanks already confirms a general message: nothing to add.
  general: () => '',
};

export const de: ReplyPhrases = {
  greeting: (name) => (name ? `Hallo ${name},` : 'Guten Tag,'),
  signoff: (owner) => (owner ? `Viele Grüße\n${owner}` : 'Viele Grüße\nIhr Kundenservice'),
  quoted: (quote, sorry) => `vielen Dank für Ihre Nachricht. Sie schreiben: „${quote}“.${sorry ? ' Das tut mir sehr leid.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](order);
    return text ? `vielen Dank für Ihre Nachricht. ${text}` : 'vielen Dank für Ihre Nachricht.';
  },
  status: {
    unfulfilled: (o) => `${ord(o)} hat unser Lager noch nicht verlassen.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `${ord(order)} ist${carrier ? ` mit ${carrier}` : ''} unterwegs${shipped ? ` und hat unser Lager am ${shipped}, verlassen` : ''}${tracking ? ` (Sendungsnummer: ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `Laut ${carrier ?? 'Paketdienst'} wurde ${ord(order)}${delivered ? ` am ${delivered},` : ''} ausgeliefert.`,
    returned: (o) => `${ord(o)} ist auf dem Rückweg zu uns.`,
    cancelled: (o) => `${ord(o)} ist storniert.`,
    unknown: (o) => `Ich sehe mir ${ord(o)} gerade genauer an.`,
    window: ({ country, days: d }) => `Die Lieferung${country ? ` ${to(country)}` : ''} dauert in der Regel ${days(d)}.`,
    late: () => 'Dieser Zeitraum ist inzwischen überschritten, die Sendung wurde also unterwegs aufgehalten.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `Wir bitten ${carrier ?? 'den Paketdienst'}, die Sendung nachzuverfolgen. ${who(owner, 'meldet sich', 'melden uns')} bis spätestens ${by}, bei Ihnen und ${owner ? 'berichtet' : 'berichten'}, was ${carrier ?? 'der Paketdienst'} dazu sagt – auch wenn es bis dahin noch nichts Neues gibt.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${who(owner, 'schickt Ihnen Ersatz oder erstattet Ihnen den Betrag', 'schicken Ihnen Ersatz oder erstatten Ihnen den Betrag')}, ganz wie Sie möchten, sobald uns vorliegt, worum wir Sie unten bitten${refundDays ? ` (die Erstattung ist ${within(refundDays)} bei Ihnen)` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null ? `Sie können Artikel innerhalb von ${calendarDays(windowDays)} nach Erhalt zurücksenden.` : 'Die Rücksendung stimmen wir mit Ihnen ab.',
        whoPays === 'store'
          ? 'Der Rückversand ist für Sie kostenlos: Wir schicken Ihnen ein Rücksendeetikett.'
          : whoPays === 'store_if_faulty'
            ? 'Ist der Artikel defekt, tragen wir die Kosten für den Rückversand, sonst tragen Sie sie.'
            : whoPays === 'customer'
              ? 'Die Kosten für den Rückversand tragen Sie.'
              : null,
        refundDays ? `Sobald der Artikel wieder bei uns ist, erhalten Sie Ihre Erstattung ${within(refundDays)}.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'Einen Umtausch können wir leider nicht anbieten, aber Sie können den Artikel zurücksenden und den gewünschten neu bestellen.'
        : `Wir tauschen den Artikel gern um, sobald Sie uns sagen, was Sie stattdessen möchten${windowDays !== null ? ` (ein Umtausch ist innerhalb von ${calendarDays(windowDays)} nach Erhalt möglich)` : ''}.`,
    refund: ({ refundDays, to: dest, owner }) =>
      `${who(owner, 'sorgt dafür', 'sorgen dafür')}, dass ${dest === 'store_credit' ? 'Ihnen der Betrag als Guthaben in unserem Shop erstattet wird' : dest === 'original_payment' ? 'Ihnen der Betrag auf das Zahlungsmittel erstattet wird, mit dem Sie bezahlt haben' : 'Sie Ihre Erstattung erhalten'}${refundDays ? `; ab der Freigabe dauert das ${days(refundDays)}` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? 'Die Bestellung hat unser Lager bereits verlassen, daher können wir sie nicht mehr aufhalten: Sobald sie angekommen ist, können Sie sie zurücksenden, und wir erstatten Ihnen den Betrag.'
        : `Wir stornieren die Bestellung jetzt${refundDays ? `, und Sie erhalten Ihre Erstattung ${within(refundDays)}` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? 'Die Bestellung hat unser Lager bereits verlassen, daher bitten wir den Paketdienst, sie umzuleiten; ich gebe Ihnen Bescheid, ob das klappt.'
        : 'Wir ändern die Adresse, bevor die Bestellung verschickt wird.',
    dispute: ({ by, owner }) =>
      `${who(owner, 'prüft Ihre Bestellung und meldet sich', 'prüfen Ihre Bestellung und melden uns')} bis spätestens ${by}, bei Ihnen – mit dem, was wir festgestellt haben, und einem Vorschlag, wie wir es in Ordnung bringen. So müssen Sie nicht auf Ihren Zahlungsanbieter warten.`,
    general: ({ by, owner }) => `${who(owner, 'meldet sich', 'melden uns')} bis spätestens ${by}, bei Ihnen.`,
  },
  needs: {
    evidence: (items) => `Bitte schicken Sie uns dafür ${list(items)}.`,
    photos: 'ein Foto des Artikels (damit wir das Problem sehen und es bei Bedarf beim Paketdienst reklamieren können)',
    video: 'ein kurzes Video, auf dem man das Problem sieht (damit wir nachvollziehen können, was passiert)',
    packaging_photos: 'ein Foto des Versandkartons (der Paketdienst verlangt es)',
    order_number: 'Ihre Bestellnummer (damit wir das richtige Paket finden)',
    proof_of_purchase: 'Ihre Rechnung oder Bestellbestätigung (damit wir den Kauf zuordnen können)',
    exchangeChoice: 'Bitte sagen Sie uns, um welchen Artikel es geht und welche Größe oder Farbe Sie stattdessen möchten.',
    newAddress: 'Bitte schicken Sie uns die vollständige neue Adresse mit Postleitzahl.',
  },
  contact: (path) =>
    path
      ? `Wenn etwas unklar ist, antworten Sie einfach auf diese Nachricht oder erreichen Sie uns unter ${path} – wir klären das direkt mit Ihnen.`
      : 'Wenn etwas unklar ist, antworten Sie einfach auf diese Nachricht – wir klären das direkt mit Ihnen.',
  date: (d) => d.toLocaleDateString('de-DE', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

/** "nach Deutschland", "in die Schweiz", "ins Vereinigte Königreich". */
function to(country: string): string {
  const special: Record<string, string> = {
    Schweiz: 'in die Schweiz',
    Niederlande: 'in die Niederlande',
    Türkei: 'in die Türkei',
    Slowakei: 'in die Slowakei',
    'Vereinigte Staaten': 'in die Vereinigten Staaten',
    'Vereinigtes Königreich': 'ins Vereinigte Königreich',
    'Vereinigte Arabische Emirate': 'in die Vereinigten Arabischen Emirate',
    Philippinen: 'auf die Philippinen',
  };
  return special[country] ?? `nach ${country}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} und ${items.at(-1)}`;
}
