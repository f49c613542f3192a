import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// Italian, with "Lei" (written lower case, as is usual today: "le scriveremo", "con lei").
// Plain words, short sentences, no legal tone; say what is known, what happens next and by when,
// and never promise what the store does not control (an arrival day).

/** "1 giorno lavorativo", "3 giorni lavorativi", "5–10 giorni lavorativi". */
const days = ([a, b]: DayRange) => (a === b ? `${a} ${a === 1 ? 'giorno lavorativo' : 'giorni lavorativi'}` : `${a}–${b} giorni lavorativi`);
const calendarDays = (n: number) => `${n} ${n === 1 ? 'giorno' : 'giorni'}`;
/** The order without its article, so the sentence can say "il", "del", "nel": "suo ordine #1042". */
const ord = (o: string | null) => (o ? `suo ordine ${o}` : 'suo ordine');
/** Who takes the next step: a named person from the team (third person), or the team (we). */
const who = (owner: string | null, one: string, we: string) => (owner ? `${owner}, del nostro team, ${one}` : capital(we));

const ISSUE: Record<ReplyType, (o: string) => string> = {
  delay: (o) => `Il ${o} non le è ancora arrivato e sta impiegando più tempo del previsto.`,
  order_status: (o) => `Vorrebbe sapere dove si trova il ${o}.`,
  damage: (o) => `Un articolo del ${o} è arrivato danneggiato.`,
  missing: (o) => `Nel ${o} manca qualcosa.`,
  wrong_item: (o) => `Il ${o} non conteneva quello che aveva ordinato.`,
  quality: (o) => `Un articolo del ${o} non è durato quanto avrebbe dovuto.`,
  return: (o) => `Vorrebbe restituire un articolo del ${o}.`,
  exchange: (o) => `Vorrebbe cambiare un articolo del ${o}.`,
  refund: (o) => `È in attesa del rimborso per il ${o}.`,
  cancel: (o) => `Vorrebbe annullare il ${o}.`,
  address_change: (o) => `L’indirizzo di consegna del ${o} va modificato.`,
  dispute: (o) => `Ha aperto una contestazione di pagamento per il ${o}.`,
  // The thanks already confirms a general message: nothing to add.
  general: () => '',
};

export const it: ReplyPhrases = {
  greeting: (name) => (name ? `Buongiorno ${name},` : 'Buongiorno,'),
  signoff: (owner) => (owner ? `Cordiali saluti,\n${owner}` : 'Cordiali saluti,\nIl servizio clienti'),
  quoted: (quote, sorry) => `Grazie per il suo messaggio. Ci scrive: «${quote}».${sorry ? ' Mi dispiace molto.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](ord(order));
    return text ? `Grazie per il suo messaggio. ${text}` : 'Grazie per il suo messaggio.';
  },
  status: {
    unfulfilled: (o) => `Il ${ord(o)} non ha ancora lasciato il nostro magazzino.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `Il ${ord(order)} è in viaggio${carrier ? ` con ${carrier}` : ''}${shipped ? `: è partito dal nostro magazzino ${shipped}` : ''}${tracking ? ` (codice di tracciamento ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `Secondo ${carrier ?? 'il corriere'}, il ${ord(order)} risulta consegnato${delivered ? ` ${delivered}` : ''}.`,
    returned: (o) => `Il ${ord(o)} è in viaggio di ritorno verso il nostro magazzino.`,
    cancelled: (o) => `Il ${ord(o)} è stato annullato.`,
    unknown: (o) => `Sto verificando il ${ord(o)} proprio adesso.`,
    window: ({ country, days: d }) => `La consegna${country ? ` ${to(country)}` : ''} richiede di solito ${days(d)}.`,
    late: () => 'Questi tempi sono ormai superati, quindi il pacco ha subito un ritardo lungo il percorso.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `Stiamo chiedendo ${carrier ? `a ${carrier}` : 'al corriere'} di rintracciare il pacco. ${who(owner, 'le scriverà', 'le scriveremo')} entro ${by} per riferirle cosa ci hanno risposto, anche se non ci saranno ancora novità.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${who(owner, 'le invierà un articolo nuovo o la rimborserà', 'le invieremo un articolo nuovo o la rimborseremo')}, come preferisce, non appena avremo quanto le chiediamo qui sotto${refundDays ? ` (il rimborso le arriva entro ${days(refundDays)})` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null ? `Può restituire gli articoli entro ${calendarDays(windowDays)} dal ricevimento.` : 'Concorderemo con lei i dettagli del reso.',
        whoPays === 'store'
          ? 'La spedizione del reso è a carico nostro: le invieremo un’etichetta di reso.'
          : whoPays === 'store_if_faulty'
            ? 'Se l’articolo è difettoso, la spedizione del reso è a carico nostro; altrimenti è a carico suo.'
            : whoPays === 'customer'
              ? 'La spedizione del reso è a suo carico.'
              : null,
        refundDays ? `Una volta ricevuto il reso, il rimborso le arriverà entro ${days(refundDays)}.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'Non possiamo effettuare cambi, ma può restituire l’articolo e ordinare quello che desidera.'
        : `Effettueremo il cambio non appena ci dirà cosa desidera al suo posto${windowDays !== null ? ` (i cambi sono possibili entro ${calendarDays(windowDays)} dal ricevimento)` : ''}.`,
    refund: ({ refundDays, to: dest, owner }) =>
      `${who(owner, 'si occuperà di rimborsarla', 'ci occuperemo di rimborsarla')}${dest === 'store_credit' ? ' con un credito da usare nel nostro negozio' : dest === 'original_payment' ? ' sul metodo di pagamento usato per l’acquisto' : ''}${refundDays ? `; una volta emesso, il rimborso le arriverà entro ${days(refundDays)}` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? 'Il suo ordine ha già lasciato il nostro magazzino, quindi non possiamo più fermarlo: quando le arriva, può rispedircelo e la rimborseremo.'
        : `Stiamo annullando il suo ordine${refundDays ? ` e il rimborso le arriverà entro ${days(refundDays)}` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? 'Il suo ordine ha già lasciato il nostro magazzino, quindi chiederemo al corriere di deviarlo al nuovo indirizzo; le confermerò se è possibile.'
        : 'Modificheremo l’indirizzo prima della spedizione.',
    dispute: ({ by, owner }) =>
      `${who(owner, 'esaminerà il suo ordine e le scriverà', 'esamineremo il suo ordine e le scriveremo')} entro ${by} per dirle cosa abbiamo verificato e come possiamo rimediare, così non dovrà aspettare i tempi del suo servizio di pagamento.`,
    general: ({ by, owner }) => `${who(owner, 'le risponderà', 'le risponderemo')} entro ${by}.`,
  },
  needs: {
    evidence: (items) => `Per procedere, ci mandi ${list(items)}.`,
    photos: 'una foto dell’articolo (per vedere il problema e, se serve, fare reclamo al corriere)',
    video: 'un breve video che mostri il problema (per capire cosa succede)',
    packaging_photos: 'una foto della scatola in cui è arrivato (la richiede il corriere)',
    order_number: 'il numero d’ordine (per trovare il pacco giusto)',
    proof_of_purchase: 'la ricevuta o la conferma d’ordine (per ritrovare l’acquisto)',
    exchangeChoice: 'Ci indichi di quale articolo si tratta e la taglia o il colore che desidera al suo posto.',
    newAddress: 'Ci mandi il nuovo indirizzo completo, con il CAP.',
  },
  contact: (path) =>
    path
      ? `Se qualcosa non è chiaro, risponda a questo messaggio o ci contatti tramite ${path}: risolveremo tutto direttamente con lei.`
      : 'Se qualcosa non è chiaro, risponda pure a questo messaggio: risolveremo tutto direttamente con lei.',
  date: (d) => d.toLocaleDateString('it-IT', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "in Germania", "negli Stati Uniti", "nel Regno Unito", "a Malta". */
function to(country: string): string {
  const special: Record<string, string> = {
    'Stati Uniti': 'negli Stati Uniti',
    'Paesi Bassi': 'nei Paesi Bassi',
    'Regno Unito': 'nel Regno Unito',
    'Emirati Arabi Uniti': 'negli Emirati Arabi Uniti',
    Filippine: 'nelle Filippine',
    Cipro: 'a Cipro',
    Malta: 'a Malta',
    Monaco: 'a Monaco',
    'San Marino': 'a San Marino',
    Singapore: 'a Singapore',
  };
  return special[country] ?? `in ${country}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} e ${items.at(-1)}`;
}
