import type { Money } from './types';

// The facts a rule reads better than a model: sums of money with their currency, quantities
// asked for, how many times a customer has ordered, and how big their audience is, written the
// way people write them in the seven languages ("€2.300", "1.299,00 €", "CHF 1'450.–", "3,5k",
// "R$ 2 mil", "30 mugs", "trenta tazze", "mi tercer pedido", "zum fünften Mal", "85k followers",
// "120.000 Abonnenten"). Each fact keeps the words it came from, for the reason on the card.
// Linear-time patterns only, over at most MAX_EXTRACT_CHARS: no input can stall the process.

export const MAX_EXTRACT_CHARS = 20_000;

// ---- numbers -----------------------------------------------------------------------------

/** "1,299.99", "1.299,99", "1 299", "1'450", "2.300" (a thousands dot), "349,00" → a number. */
export function parseNumber(raw: string): number | null {
  const s = raw.replace(/[\s\u00a0\u202f'’]/g, '');
  if (!/^\d[\d.,]*$/.test(s)) return null;
  const lastSep = Math.max(s.lastIndexOf(','), s.lastIndexOf('.'));
  let normal: string;
  if (lastSep === -1) normal = s;
  else {
    const decimals = s.length - lastSep - 1;
    const intPart = s.slice(0, lastSep).replace(/[.,]/g, '');
    // Three digits after the last separator are thousands ("2.300", "1,299"), not decimals.
    normal = decimals === 3 ? intPart + s.slice(lastSep + 1) : `${intPart}.${s.slice(lastSep + 1)}`;
  }
  const n = Number(normal);
  return Number.isFinite(n) ? n : null;
}

/** Multipliers written after a number: "3.5k", "10 mil", "2 Tsd.", "1,2 M". */
const MULTIPLIERS: [RegExp, number][] = [
  [/^(k|mil|tsd\.?|tausend|mille|duizend)$/i, 1_000],
  [/^(m|mio\.?|million|millions|millones|millionen|milioni|miljoen|milhoes|milhões)$/i, 1_000_000],
];

function multiplier(word: string | undefined): number {
  if (!word) return 1;
  for (const [re, m] of MULTIPLIERS) if (re.test(word)) return m;
  return 1;
}

/** Number words people use for quantities, in the seven languages (a lower bound for compounds). */
const NUMBER_WORDS: [RegExp, number][] = [
  [/^(hundred|cien|ciento|hundert|cent|cento|honderd|cem|cento)$/, 100],
  [/^(ninety|noventa|neunzig|quatre-vingt-dix|nonante|novanta|negentig)$/, 90],
  [/^(eighty|ochenta|achtzig|quatre-vingts?|huitante|octante|ottanta|tachtig|oitenta)$/, 80],
  [/^(seventy|setenta|siebzig|soixante-dix|septante|settanta|zeventig)$/, 70],
  [/^(sixty|sesenta|sechzig|soixante|sessanta|zestig|sessenta)$/, 60],
  [/^(fifty|cincuenta|funfzig|fünfzig|cinquante|cinquanta|vijftig|cinquenta)$/, 50],
  [/^(forty|cuarenta|vierzig|quarante|quaranta|veertig|quarenta)$/, 40],
  [/^(thirty|treinta|dreissig|dreißig|trente|trenta|dertig|trinta)$/, 30],
  [/^(twenty|veinte|zwanzig|vingt|venti|twintig|vinte)$/, 20],
  [/^(dozens|docenas|dutzende|dizaines|decine|tientallen|dezenas)$/, 24],
  [/^(dozen|docena|dutzend|douzaine|dozzina|dozijn|duzia|dúzia)$/, 12],
  [/^(cinquantina|cinquantaine)$/, 50],
  [/^(trentina|trentaine)$/, 30],
  [/^(ventina|vingtaine)$/, 20],
  // Compounds: twenty-five, veinticinco, fünfundzwanzig, vingt-cinq, venticinque, vijfentwintig.
  [/^(twenty-|veinti|vingt-|vent)\p{L}*$|(zwanzig|twintig)$/u, 21],
  [/^(thirty-|treinta|trente-|trent)\p{L}*$|(dreissig|dreißig|dertig)$/u, 31],
  [/^(forty-|cuarenta|quarante-|quarant)\p{L}*$|(vierzig|veertig)$/u, 41],
  [/^(fifty-|cincuenta|cinquante-|cinquant)\p{L}*$|(fünfzig|funfzig|vijftig)$/u, 51],
];

/** Small counts, for order histories ("tres pedidos", "zehn Bestellungen", "dix commandes"). */
const SMALL_NUMBERS: Record<string, number> = Object.fromEntries(
  [
    'three tres drei trois tre drie tres tres',
    'four cuatro vier quatre quattro vier quatro',
    'five cinco funf fuenf cinq cinque vijf cinco',
    'six seis sechs six sei zes seis',
    'seven siete sieben sept sette zeven sete',
    'eight ocho acht huit otto acht oito',
    'nine nueve neun neuf nove negen nove',
    'ten diez zehn dix dieci tien dez',
    'eleven once elf onze undici elf onze',
    'twelve doce zwolf douze dodici twaalf doze',
  ].flatMap((line, i) => line.split(' ').map((w) => [w, i + 3])),
);

/** Only words this long and with these beginnings or endings can be number words: the rest skip the patterns. */
const NUMBER_WORD_MAX = 24;
const NUMBER_WORD_STARTS = new Set(
  'hun cie hun cen hon cem nin nov neu qua non neg eig och ach huj hui oct ott tac oit sev set sie soi sep zev six ses sec zes fif cin fun fün vij for cua vie qua vee thi tre dre dri tri der twe vei zwa vin ven twi doz doc dut dou diz dec tie dúz duz'.split(' '),
);

export function numberWord(word: string): number | null {
  const w = word.toLowerCase();
  if (w.length > NUMBER_WORD_MAX || (!NUMBER_WORD_STARTS.has(w.slice(0, 3)) && !/(zig|ßig|tig)$/.test(w))) return null;
  for (const [re, n] of NUMBER_WORDS) if (re.test(w)) return n;
  return null;
}

// ---- money -------------------------------------------------------------------------------

const SYMBOLS: [string, string][] = [
  ['US$', 'USD'],
  ['CA$', 'CAD'],
  ['C$', 'CAD'],
  ['AU$', 'AUD'],
  ['A$', 'AUD'],
  ['NZ$', 'NZD'],
  ['MX$', 'MXN'],
  ['R$', 'BRL'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['$', 'USD'],
  ['¥', 'JPY'],
  ['zł', 'PLN'],
  ['Fr.', 'CHF'],
  ['SFr.', 'CHF'],
];
const CODES = ['EUR', 'USD', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'JPY', 'BRL', 'MXN', 'ARS', 'CLP', 'COP', 'INR', 'TRY', 'SGD', 'HKD'];
const WORDS: [RegExp, string][] = [
  [/^euros?$/i, 'EUR'],
  [/^(dollars?|bucks|dolares|dólares|dollari)$/i, 'USD'],
  [/^(pounds?|quid|libras|sterline|sterling)$/i, 'GBP'],
  [/^(francs?|franken|franchi)$/i, 'CHF'],
  [/^(reais|real)$/i, 'BRL'],
  [/^(pesos?)$/i, 'MXN'],
  [/^(kronor|kroner|kronen)$/i, 'SEK'],
  [/^(zloty|złoty|zlotych|złotych)$/i, 'PLN'],
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SYMBOL_ALT = SYMBOLS.map(([s]) => esc(s)).join('|');
const CODE_ALT = CODES.join('|');
// Digits with thousands separators (. , ' ’ thin space), optional decimals, an optional Swiss ".–".
const NUM = String.raw`\d{1,3}(?:[.,'’\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const MULT = String.raw`(?:\s?(k|mil|tsd\.?|mio\.?|m)\b)?`;
const BEFORE = new RegExp(String.raw`(?<![\p{L}\d])(${SYMBOL_ALT}|${CODE_ALT})\s?(${NUM})${MULT}(?:\.[–-])?`, 'giu');
const AFTER = new RegExp(String.raw`(?<![\p{L}\d#.,])(${NUM})${MULT}\s?(${SYMBOL_ALT}|${CODE_ALT}|\p{L}+)(?![\p{L}])`, 'giu');
// A bare "3.5k" or "2k" counts as money only beside a word about paying or spending.
const BARE_K = /(?<![\p{L}\d#])(\d+(?:[.,]\d)?)\s?k\b/giu;
const MONEY_CONTEXT =
  /\b(spen[dt]|paid|pay|budget|worth|cost|price|order(?:ed)?|bought|invoice|gast|pag|presupuesto|coste|precio|ausgegeben|bezahlt|zahl|budget|kost|preis|bestell|depense|paye|prix|cout|commande|speso|pagato|prezzo|costo|ordin|uitgegeven|betaald|prijs|kost|besteld|gastei|paguei|preco|custo|encomend)\p{L}*/iu;

const ORDER_WORDS =
  /(?:#|\b(?:order|orders|ord|no|nr|num|number|bestellung|bestellnummer|auftrag|pedido|commande|ordine|encomenda|bestelling|invoice|ref|tracking)\.?\s*(?:no\.?|nr\.?|number|n°|nº|#)?\s*)$/iu;
/** What follows a number and makes it not money: an audience, a count of things, a duration. */
const NOT_MONEY_AFTER = /^\s*(followers?|seguidores|abonn|subs|subscri|views|likes|iscritti|volgers|inscritos|leser|readers)/iu;

function currencyOf(token: string): string | undefined {
  const sym = SYMBOLS.find(([s]) => s.toLowerCase() === token.toLowerCase());
  if (sym) return sym[1];
  const upper = token.toUpperCase();
  if (CODES.includes(upper)) return upper;
  return WORDS.find(([re]) => re.test(token))?.[1];
}

export interface MoneyFact extends Money {
  /** The words it was read from, e.g. "€2.300". */
  text: string;
}

/**
 * Sums of money in the text. A number with no currency next to it is not money (order numbers,
 * sizes, phone numbers), except a "3.5k" beside a word about paying; its currency is then ''.
 */
export function extractMoney(raw: string): MoneyFact[] {
  const text = raw.slice(0, MAX_EXTRACT_CHARS);
  const found: (MoneyFact & { at: number; end: number })[] = [];
  const push = (at: number, end: number, num: string, mult: string | undefined, cur: string | undefined) => {
    const base = parseNumber(num);
    if (cur === undefined || base === null || base <= 0) return;
    if (found.some((f) => f.at < end && at < f.end)) return;
    if (NOT_MONEY_AFTER.test(text.slice(end, end + 20))) return;
    const value = base * multiplier(mult);
    found.push({ at, end, value: value.toFixed(2), currency: cur, text: text.slice(at, end).trim() });
  };
  for (const m of text.matchAll(BEFORE)) push(m.index, m.index + m[0].length, m[2]!, m[3], currencyOf(m[1]!));
  for (const m of text.matchAll(AFTER)) {
    if (ORDER_WORDS.test(text.slice(Math.max(0, m.index - 24), m.index))) continue;
    push(m.index, m.index + m[0].length, m[1]!, m[2], currencyOf(m[3]!));
  }
  for (const m of text.matchAll(BARE_K)) {
    const around = text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 40);
    if (MONEY_CONTEXT.test(around)) push(m.index, m.index + m[0].length, m[1]!, 'k', '');
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const out: MoneyFact[] = [];
  for (const f of found) {
    const key = `${f.value} ${f.currency}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ value: f.value, currency: f.currency, text: f.text });
  }
  return out;
}

// ---- tokens for the counting extractors --------------------------------------------------

export interface Tok {
  raw: string;
  low: string;
  /** Sentence number: facts are read within one sentence. */
  s: number;
}

/** A word longer than this is no number, unit or order word: it is cut before any pattern sees it. */
const MAX_TOKEN = 40;

/** Counts are read in the opening of a message, where people say what they want. */
const MAX_COUNT_CHARS = 8_000;

export function tokens(raw: string): Tok[] {
  const out: Tok[] = [];
  let s = 0;
  // Folded once (lower case, no accents); "45 000" written with a space is one number.
  const text = raw
    .slice(0, MAX_COUNT_CHARS)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/(\d)[ \u00a0\u202f](?=\d{3}(?!\d))/g, '$1');
  for (const m of text.matchAll(/[\p{L}\p{N}]+(?:[.,'’][\p{N}]+)*(?:[-'’][\p{L}]+)*|[.!?\n]+|[^\s\p{L}\p{N}]/gu)) {
    const t = m[0].length > MAX_TOKEN ? m[0].slice(0, MAX_TOKEN) : m[0];
    if (/^[.!?\n]+$/.test(t)) {
      s++;
      continue;
    }
    out.push({ raw: t, low: t, s });
  }
  return out;
}

function numberAt(t: Tok, next?: Tok): number | null {
  if (/^\d/.test(t.low)) {
    const n = parseNumber(t.low.replace(/(k|m)$/, ''));
    if (n === null) return null;
    const inlineMult = /k$/.test(t.low) ? 1_000 : /\dm$/.test(t.low) ? 1_000_000 : 1;
    return n * inlineMult * (inlineMult === 1 ? multiplier(next?.low) : 1);
  }
  return numberWord(t.low);
}

// ---- quantities --------------------------------------------------------------------------

/** Words after a number that make it something other than a count of goods. */
const NOT_GOODS =
  /^(minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|times?|seconds?|minut\p{L}*|hora\p{L}*|dia\p{L}*|semana\p{L}*|mes\p{L}*|anos?|anos|años?|vez|veces|vezes|stunde\p{L}*|tage?n?|woche\p{L}*|monate?n?|jahre?n?|mal|heure\p{L}*|jours?|semaines?|mois|ans|annees?|fois|ore|or[ae]|giorn\p{L}*|settiman\p{L}*|mes[ie]|anni|volt[ae]|uur|uren|dagen?|weken?|maanden?|jaar|jaren|keer|cm|mm|m|km|kg|g|gr|ml|l|lt|liters?|litres?|inch\p{L}*|zoll|pouces?|pollici|duim|polegadas?|%|percent|prozent|pourcent|por|per|procent|euros?|dollars?|pounds?|eur|usd|gbp|chf|followers?|seguidores|abonn\p{L}*|subscri\p{L}*|volgers|iscritti|inscritos|stars?|estrellas|sterne|etoiles|stelle|sterren|estrelas|orders?|pedidos?|bestellung\p{L}*|commandes?|ordini|ordine|bestellingen|encomendas?|compras?|years-old|grad|degrees?|grados|graus|gradi|graden|kilos?|kilo\p{L}*|kgs|lbs?|pounds|stone|litres?|liters?|litros?|litri|liter|yards?|metres?|meters?|metros?|metri|meter|mah|watts?|w|v|volts?|gb|mb|tb|pages?|seiten|paginas|pagine|teile|teilen|stukjes|words|and|or|y|o|und|oder|et|ou|e|en)$/u;
/** Words before a number that make it a size, a model or an identifier. */
const NOT_COUNT_BEFORE =
  /^(size|sizes|talla|tallas|grosse|groesse|gr|taille|taglia|maat|tamanho|numero|nummer|number|no|nr|n|model|modelo|modell|modele|modello|ref|art|artikel|order|pedido|bestellung|commande|ordine|bestelling|encomenda|x|um|at|a|las|les|alle|om|as|ore|uhr|since|seit|desde|depuis|dal|sinds|page|seite|pagina|postcode|plz|cp|cap|zip|in|en|im|gegen|against|contra|statt|instead|en|per)$/;

export interface QuantityFact {
  units: number;
  text: string;
}

/** Words that say "this many pieces": a number before one of them is a count of goods. */
const UNIT_WORDS =
  /^(units?|pcs|pieces?|pairs?|sets?|boxes|packs?|cartons?|dozens?|stuck|stueck|stk|exemplare|paar|unidades|piezas|pares|cajas|unites|pieces|exemplaires|paires|cartons|pezzi|unita|paia|confezioni|scatole|stuks|exemplaren|doosjes|dozen|unidades|pecas|caixas|pares|x)$/;
/** Wanting, ordering or buying in the sentence: the count is of something to buy. */
const WANTS =
  /^(need|needs|want|wanted|order|ordering|ordered|buy|buying|bought|purchas\p{L}*|quote|looking|require|would|could|get|brauch\p{L}*|benotig\p{L}*|bestell\p{L}*|kauf\p{L}*|gekauft|mocht\p{L}*|hatten|wurden|angebot|necesit\p{L}*|quier\p{L}*|quisier\p{L}*|pedi\p{L}*|compr\p{L}*|encarg\p{L}*|cotiza\p{L}*|presupuesto|besoin|faut|voudr\p{L}*|souhait\p{L}*|command\p{L}*|achet\p{L}*|devis|serv\p{L}*|bisogn\p{L}*|vorrei|vorremmo|ordin\p{L}*|acquist\p{L}*|preventivo|nodig|willen|wil|bestel\p{L}*|kopen|gekocht|offerte|precis\p{L}*|quer\p{L}*|querem\p{L}*|queria|encomend\p{L}*|orcamento|office|team|staff|employees|event|fair|company|wedding|guests|clients|customers|shop|store|restaurant|hotel|school|club|ufficio|squadra|evento|azienda|dipendenti|matrimonio|ospiti|clienti|negozio|oficina|equipo|empresa|empleados|boda|invitados|clientes|tienda|buro|firma|mitarbeiter\p{L}*|hochzeit|gaste|kunden|laden|verein|bureau|equipe|evenement|entreprise|salaries|mariage|invites|boutique|kantoor|bedrijf|personeel|bruiloft|gasten|klanten|winkel|escritorio|equipa|funcionarios|casamento|convidados|loja)$/u;
/** A year, a postcode, a house number: four digits or more are not a count unless a unit word follows. */
const LONG_NUMBER = /^\d{4,}$/;

/**
 * The largest count of goods the message asks for or orders: a number before a unit word ("50
 * Stück", "25 units"), or before the goods in a sentence about wanting or ordering them ("we need
 * 30 mugs", "trenta tazze da ordinare"). Sizes, times, postcodes, years, page or piece counts of
 * one product are not counts of goods.
 */
export function extractQuantity(raw: string | readonly Tok[]): QuantityFact | null {
  const toks = typeof raw === 'string' ? tokens(raw) : raw;
  let best: QuantityFact | null = null;
  const wantsIn = new Set<number>();
  // Elided articles stay on their word (l'ufficio, d'oficina): read the word itself.
  for (const t of toks) if (WANTS.test(t.low.replace(/^[a-z]{1,3}['’]/, ''))) wantsIn.add(t.s);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const n = numberAt(t, toks[i + 1]);
    if (n === null || n < 2 || n > 100_000) continue;
    const prev = toks[i - 1];
    if (prev && prev.s === t.s && NOT_COUNT_BEFORE.test(prev.low)) continue;
    if (prev && /^[#€$£:/.-]$/.test(prev.raw)) continue;
    const next = toks[i + 1];
    if (!next || next.s !== t.s || !/\p{L}/u.test(next.low)) continue;
    if (next.raw === ':' || NOT_GOODS.test(next.low) || multiplier(next.low) !== 1) continue;
    const unit = UNIT_WORDS.test(next.low);
    if (LONG_NUMBER.test(t.low) && !unit) continue;
    if (!unit && !wantsIn.has(t.s)) continue;
    if (!best || n > best.units) best = { units: n, text: `${t.raw} ${next.raw}` };
  }
  return best;
}

// ---- order counts ------------------------------------------------------------------------

const ORDINALS: [RegExp, number][] = [
  [/^(third|tercer|tercera|tercero|dritte\p{L}*|troisieme|terz[oa]|derde|terceir[oa])$/u, 3],
  [/^(fourth|cuart[oa]|vierte\p{L}*|quatrieme|quart[oa]|vierde)$/u, 4],
  [/^(fifth|quint[oa]|funfte\p{L}*|fuenfte\p{L}*|cinquieme|vijfde)$/u, 5],
  [/^(sixth|sext[oa]|sechste\p{L}*|sixieme|sest[oa]|zesde)$/u, 6],
  [/^(seventh|septim[oa]|siebte\p{L}*|septieme|settim[oa]|zevende|setim[oa])$/u, 7],
  [/^(eighth|octav[oa]|achte\p{L}*|huitieme|ottav[oa]|achtste|oitav[oa])$/u, 8],
  [/^(ninth|noven[oa]|neunte\p{L}*|neuvieme|non[oa]|negende)$/u, 9],
  [/^(tenth|decim[oa]|zehnte\p{L}*|dixieme|decim[oa]|tiende)$/u, 10],
  [/^(\d{1,2})(st|nd|rd|th|er|era|o|a|e|eme|ieme|°|º|ª|\.|te|de|ste)$/u, -1],
];
const ORDER_NOUN =
  /^(orders?|purchases?|pedidos?|compras?|bestellung\p{L}*|einkauf\p{L}*|kauf\p{L}*|commandes?|achats?|ordin[ei]|acquist[oi]|bestelling\p{L}*|aankoop|aankopen|encomendas?)$/u;
const ORDER_VERB = /^(order\p{L}*|bought|buy|purchas\p{L}*|pedi\p{L}*|compr\p{L}*|bestell\p{L}*|gekauft|kauf\p{L}*|command\p{L}*|achet\p{L}*|ordinat\p{L}*|acquist\p{L}*|besteld|gekocht|encomend\p{L}*)$/u;
const TIMES = /^(times|veces|mal|fois|volte|keer|vezes)$/;
const POSSESSIVE = /^(my|mi|mein|meine|meinen|ma|mon|mio|mia|mijn|minha|meu|our|nuestro|nuestra|unser|unsere|notre|nostro|nostra|onze|nossa|nosso|es|ist|c'est|e|is|ya|schon|deja|gia|al|ja)$/;
/** After an ordinal: a time, a message, a day or an attempt is not a purchase. */
const NOT_AN_ORDER =
  /^(time|times|day|week|month|email|e-mail|mail|message|call|attempt|try|reminder|letter|request|complaint|chat|person|agent|one|vez|dia|semana|mes|mensaje|correo|llamada|intento|reclamo|mal|tag|woche|monat|nachricht|anruf|versuch|mahnung|anfrage|beschwerde|fois|jour|semaine|mois|message|appel|relance|tentative|demande|reclamation|volta|giorno|settimana|mese|messaggio|chiamata|tentativo|sollecito|richiesta|keer|dag|week|maand|bericht|poging|herinnering|vraag|klacht|vezes|mensagem|chamada|tentativa|pedido de|reclamacao)$/;

const ORDINAL_STARTS = new Set('thi ter tri dri tro der fou cua vie qua fif qui fun fue cin vij six sex sec sei ses zes sev sep sie set zev eig oct och ach hui ott oit nin nov neu non neg ten dec zeh dix tie'.split(' '));

function ordinal(word: string): number | null {
  if (!/^\d/.test(word) && !ORDINAL_STARTS.has(word.slice(0, 3))) return null;
  for (const [re, n] of ORDINALS) {
    const m = re.exec(word);
    if (m) return n === -1 ? Number(m[1]) : n;
  }
  return null;
}

export interface OrderCountFact {
  orders: number;
  text: string;
}

/** How many orders the customer says they have placed: "my third order", "ordered 5 times", "zum fünften Mal bestellt". */
export function extractOrderCount(raw: string | readonly Tok[]): OrderCountFact | null {
  const toks = typeof raw === 'string' ? tokens(raw) : raw;
  let best: OrderCountFact | null = null;
  const take = (orders: number, from: number, to: number) => {
    if (orders < 2 || orders > 500) return;
    if (!best || orders > best.orders) best = { orders, text: toks.slice(from, to + 1).map((t) => t.raw).join(' ') };
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const near = (from: number, to: number, re: RegExp) => {
      for (let k = Math.max(0, from); k <= Math.min(toks.length - 1, to); k++) if (toks[k]!.s === t.s && re.test(toks[k]!.low)) return k;
      return -1;
    };
    const ord = ordinal(t.low);
    if (ord !== null) {
      // "my third order", "la mia terza ordinazione", "zum dritten Mal bestellt".
      const noun = near(i + 1, i + 2, ORDER_NOUN);
      const prev = toks[i - 1];
      const next = toks[i + 1];
      if (noun >= 0) take(ord, i, noun);
      // "My fourth Wanderpack bag", "Third pair of these": the nth of something the customer owns.
      else if (
        next &&
        next.s === t.s &&
        /\p{L}{3,}/u.test(next.low) &&
        !NOT_AN_ORDER.test(next.low) &&
        (!prev || prev.s !== t.s || POSSESSIVE.test(prev.low))
      ) {
        take(ord, i, i + 1);
      }
      else if (near(i + 1, i + 1, TIMES) >= 0 || near(i + 1, i + 1, /^(time|vez|mal|fois|volta|keer|vez)$/) >= 0) {
        const verb = near(i - 4, i + 5, ORDER_VERB);
        if (verb >= 0) take(ord, Math.min(i, verb), Math.max(i + 1, verb));
      }
      continue;
    }
    const n = /^\d{1,3}$/.test(t.low) ? Number(t.low) : (SMALL_NUMBERS[t.low] ?? numberWord(t.low));
    if (n === null) continue;
    // "5 orders", "diez compras", "ordered 5 or 6 times", "5-mal bestellt".
    const noun = near(i + 1, i + 2, ORDER_NOUN);
    if (noun >= 0) take(n, i, noun);
    else if (near(i + 1, i + 1, TIMES) >= 0 && near(i - 6, i + 4, ORDER_VERB) >= 0) take(n, i, i + 1);
  }
  return best;
}

// ---- audience ----------------------------------------------------------------------------

const AUDIENCE =
  /^(followers?|follower|seguidores|suscriptores|subs|subscribers?|abonnes|abonnees|abonnenten|abonnent\p{L}*|iscritti|volgers|inscritos|readers|lectores|leser\p{L}*|lecteurs|lettori|lezers|leitores|listeners|oyentes|horer|hörer|auditeurs|ascoltatori|luisteraars|ouvintes)$/u;
/** Someone else's audience: "my sister has 50k followers", "a group of 12,000 members". */
const SOMEONE_ELSE =
  /^(sister|brother|cousin|niece|nephew|friend|daughter|son|wife|husband|mother|mom|mum|dad|group|hermana|hermano|prima|primo|sobrin\p{L}*|amig\p{L}*|hija|hijo|grupo|schwester|bruder|cousin\p{L}*|nichte|neffe|freund\p{L}*|tochter|sohn|gruppe|soeur|frere|niece|neveu|ami\p{L}*|fille|fils|groupe|sorella|fratello|cugin\p{L}*|nipote|amic\p{L}*|figli\p{L}*|gruppo|zus|broer|nicht|neef|vriend\p{L}*|dochter|zoon|groep|irma|irmao|sobrinh\p{L}*|filh\p{L}*)$/u;

export interface AudienceFact {
  followers: number;
  text: string;
}

/** The size of the sender's own audience, when they give it ("85k followers", "120.000 Abonnenten"). */
export function extractAudience(raw: string | readonly Tok[]): AudienceFact | null {
  const toks = typeof raw === 'string' ? tokens(raw) : raw;
  let best: AudienceFact | null = null;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (!/^\d/.test(t.low)) continue;
    const n = numberAt(t, toks[i + 1]);
    if (n === null) continue;
    let k = i + 1;
    if (toks[k] && multiplier(toks[k]!.low) !== 1) k++;
    const word = toks[k];
    const word2 = toks[k + 1];
    const hit = word && word.s === t.s && AUDIENCE.test(word.low) ? k : word2 && word2.s === t.s && AUDIENCE.test(word2.low) ? k + 1 : -1;
    if (hit < 0) continue;
    const before = toks.slice(Math.max(0, i - 6), i).filter((x) => x.s === t.s);
    if (before.some((x) => SOMEONE_ELSE.test(x.low))) continue;
    if (!best || n > best.followers) best = { followers: n, text: toks.slice(i, hit + 1).map((x) => x.raw).join(' ') };
  }
  return best;
}

export interface Facts {
  money: MoneyFact[];
  quantity: QuantityFact | null;
  orderCount: OrderCountFact | null;
  audience: AudienceFact | null;
}

/** Every fact of a message, reading its words once. */
export function extractFacts(text: string): Facts {
  const toks = tokens(text);
  return { money: extractMoney(text), quantity: extractQuantity(toks), orderCount: extractOrderCount(toks), audience: extractAudience(toks) };
}
