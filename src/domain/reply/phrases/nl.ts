import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// Dutch, with "je" (as Dutch webshops write to their customers). Plain words, short sentences, no
// legal tone; say what is known, what happens next and by when, and never promise what the store
// does not control (an arrival day).

/** "1 werkdag", "3 werkdagen", "5 tot 10 werkdagen". */
const days = ([a, b]: DayRange) => (a === b ? `${a} ${a === 1 ? 'werkdag' : 'werkdagen'}` : `${a} tot ${b} werkdagen`);
const calendarDays = (n: number) => `${n} ${n === 1 ? 'dag' : 'dagen'}`;
const ord = (o: string | null) => (o ? `je bestelling ${o}` : 'je bestelling');
/** Who takes the next step: a named person from the team (third person), or the team (we). */
const who = (owner: string | null, one: string, we: string) => (owner ? `${owner} van ons team ${one}` : `We ${we}`);

const ISSUE: Record<ReplyType, (o: string) => string> = {
  delay: (o) => `${o} is nog niet bij je aangekomen en is langer onderweg dan de bedoeling is.`,
  order_status: (o) => `Je wilt weten waar ${o} is.`,
  damage: (o) => `Er is iets uit ${o} beschadigd aangekomen.`,
  missing: (o) => `Er ontbreekt iets aan ${o}.`,
  wrong_item: (o) => `In ${o} zat niet wat je had besteld.`,
  quality: (o) => `Een artikel uit ${o} gaat minder lang mee dan het zou moeten.`,
  return: (o) => `Je wilt iets uit ${o} retourneren.`,
  exchange: (o) => `Je wilt iets uit ${o} ruilen.`,
  refund: (o) => `Je wacht nog op de terugbetaling voor ${o}.`,
  cancel: (o) => `Je wilt ${o} annuleren.`,
  address_change: (o) => `Het bezorgadres van ${o} moet worden aangepast.`,
  dispute: (o) => `Je hebt de betaling voor ${o} betwist.`,
  // The thanks already confirms a general message: nothing to add.
  general: () => '',
};

export const nl: ReplyPhrases = {
  greeting: (name) => (name ? `Hoi ${name},` : 'Hallo,'),
  signoff: (owner) => (owner ? `Hartelijke groet,\n${owner}` : 'Hartelijke groet,\nTeam klantenservice'),
  quoted: (quote, sorry) => `Bedankt voor je bericht. Je schreef: ‘${quote}’.${sorry ? ' Wat vervelend, dat spijt me.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](ord(order));
    return text ? `Bedankt voor je bericht. ${capital(text)}` : 'Bedankt voor je bericht.';
  },
  status: {
    unfulfilled: (o) => `${capital(ord(o))} heeft ons magazijn nog niet verlaten.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `${capital(ord(order))} is${carrier ? ` met ${carrier}` : ''} onderweg${shipped ? ` en heeft ons magazijn op ${shipped} verlaten` : ''}${tracking ? ` (trackingnummer ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `Volgens ${carrier ?? 'de vervoerder'} is ${ord(order)}${delivered ? ` op ${delivered}` : ''} aangekomen.`,
    returned: (o) => `${capital(ord(o))} is onderweg terug naar ons.`,
    cancelled: (o) => `${capital(ord(o))} is geannuleerd.`,
    unknown: (o) => `Ik zoek nu voor je uit hoe het met ${ord(o)} zit.`,
    window: ({ country, days: d }) => `De bezorging${country ? ` ${to(country)}` : ''} duurt meestal ${days(d)}.`,
    late: () => 'Die termijn is inmiddels voorbij, dus het pakket is onderweg ergens opgehouden.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `We vragen ${carrier ?? 'de vervoerder'} om het pakket op te sporen. ${who(owner, 'laat je', 'laten je')} uiterlijk ${by} weten wat ze zeggen, ook als er dan nog geen nieuws is.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${who(owner, 'stuurt je een vervangend artikel of betaalt je terug', 'sturen je een vervangend artikel of betalen je terug')}, wat jij het liefst wilt, zodra we hebben wat hieronder staat${refundDays ? ` (een terugbetaling heb je binnen ${days(refundDays)})` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null
          ? `Je kunt artikelen retourneren tot ${calendarDays(windowDays)} nadat je ze hebt gekregen.`
          : 'We stemmen de retour met je af.',
        whoPays === 'store'
          ? 'Retourneren is gratis: we sturen je een retourlabel.'
          : whoPays === 'store_if_faulty'
            ? 'Is het artikel defect, dan betalen wij de retourzending; anders betaal je die zelf.'
            : whoPays === 'customer'
              ? 'Je betaalt de retourzending zelf.'
              : null,
        refundDays ? `Zodra we je retour hebben ontvangen, krijg je de terugbetaling binnen ${days(refundDays)}.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'Ruilen is helaas niet mogelijk, maar je kunt het artikel retourneren en bestellen wat je wel wilt.'
        : `We ruilen het graag om zodra je laat weten wat je ervoor in de plaats wilt${windowDays !== null ? ` (ruilen kan tot ${calendarDays(windowDays)} nadat je je bestelling hebt gekregen)` : ''}.`,
    refund: ({ refundDays, to: dest, owner }) =>
      `${who(owner, 'regelt je terugbetaling', 'regelen je terugbetaling')}${dest === 'store_credit' ? ' in de vorm van tegoed in onze webshop' : dest === 'original_payment' ? ' naar de betaalmethode waarmee je hebt betaald' : ''}${refundDays ? `; na verwerking heb je het bedrag binnen ${days(refundDays)}` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? 'Je bestelling heeft ons magazijn al verlaten, dus we kunnen het pakket niet meer tegenhouden: zodra je het hebt, kun je het terugsturen en betalen we je terug.'
        : `We annuleren je bestelling nu${refundDays ? ` en je krijgt de terugbetaling binnen ${days(refundDays)}` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? 'Je bestelling heeft ons magazijn al verlaten, dus we vragen de vervoerder om het pakket om te leiden; ik laat je weten of dat lukt.'
        : 'We passen het adres aan voordat we je bestelling versturen.',
    dispute: ({ by, owner }) =>
      `${who(owner, 'bekijkt je bestelling en laat je', 'bekijken je bestelling en laten je')} uiterlijk ${by} weten wat we hebben gevonden en hoe we het kunnen oplossen, zodat je niet op je betaalprovider hoeft te wachten.`,
    general: ({ by, owner }) => `${who(owner, `laat uiterlijk ${by} van zich horen`, `laten uiterlijk ${by} van ons horen`)}.`,
  },
  needs: {
    evidence: (items) => `Stuur ons daarvoor ${list(items)}.`,
    photos: 'een foto van het artikel (zodat we het probleem zien en het zo nodig bij de vervoerder kunnen melden)',
    video: 'een korte video waarop het probleem te zien is (zodat we zien wat er gebeurt)',
    packaging_photos: 'een foto van de doos waarin het zat (daar vraagt de vervoerder om)',
    order_number: 'je bestelnummer (zodat we het juiste pakket vinden)',
    proof_of_purchase: 'je factuur of orderbevestiging (zodat we de aankoop kunnen terugvinden)',
    exchangeChoice: 'Laat ons weten om welk artikel het gaat en welke maat of kleur je ervoor in de plaats wilt.',
    newAddress: 'Stuur ons het volledige nieuwe adres, met postcode.',
  },
  contact: (path) =>
    path
      ? `Is er iets niet duidelijk? Reageer dan op dit bericht of neem contact met ons op via ${path}, dan lossen we het samen met je op.`
      : 'Is er iets niet duidelijk? Reageer dan gewoon op dit bericht, dan lossen we het samen met je op.',
  date: (d) => d.toLocaleDateString('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "naar Duitsland", "naar de Verenigde Staten", "naar het Verenigd Koninkrijk". */
function to(country: string): string {
  const special: Record<string, string> = {
    'Verenigde Staten': 'naar de Verenigde Staten',
    'Verenigd Koninkrijk': 'naar het Verenigd Koninkrijk',
    'Verenigde Arabische Emiraten': 'naar de Verenigde Arabische Emiraten',
    Filipijnen: 'naar de Filipijnen',
  };
  return special[country] ?? `naar ${country}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} en ${items.at(-1)}`;
}
