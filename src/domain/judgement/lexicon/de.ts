import type { Lexicon } from './types';

// German phrase tables, stemmed with natural's German Porter stemmer. German glues words
// together (Rücksendung, Lieferadresse), so many entries are prefixes.

export const de: Lexicon = {
  tags: {
    sizing: { not: ['falsche größe', 'falschen größe'], match: ['welche größe', 'meine größe', 'größentabelle*', 'fällt * klein', 'fällt * groß', 'zu klein', 'zu groß', 'zu eng', 'welche größe', 'passform', 'größentabelle*'], weak: ['größe*', 'klein', 'groß', 'eng'] },
    material: { match: ['material', 'stoff', 'wolle', 'baumwolle', 'leder', 'polyester', 'aus reiner', 'waschen', 'besteht aus', 'waschbar', 'pflege*'] },
    compatibility: { match: ['kompatibel', 'passt * zu', 'funktioniert mit', 'passt * an'] },
    installation: { match: ['installier*', 'installation', 'montier*', 'montage', 'aufbau*', 'anleitung', 'einricht*'] },
    delivery_time: { match: ['lieferzeit*', 'wie lange dauert', 'dauert der versand', 'dauert die lieferung', 'bis wann'], presale: ['wann kommt', 'liefern sie nach'] },
    payment: { match: ['bezahl*', 'zahlung*', 'auf rechnung', 'paypal', 'kreditkarte', '=überweisung', 'per überweisung', 'klarna', 'zahlen'], not: ['geld zurück'] },
    discount_code: { match: ['rabattcode*', 'gutschein*', 'rabatt*', 'code'] },
    return_policy: { match: ['rückgaberecht', 'widerrufsrecht', 'rücksendekosten', 'kostenlose rücksendung', 'rückgabefrist'] },
    stock: { match: ['auf lager', 'wieder verfügbar', 'ausverkauft', 'lieferbar', 'verfügbar', 'wieder da'] },
    order_status: {
      match: ['wo ist meine bestellung', 'wo ist mein paket', 'sendungsnummer', 'trackingnummer', 'tracking', 'verschickt', 'versendet', 'status meiner bestellung', 'wann kommt meine'],
    },
    shipping_delay: {
      match: ['noch nicht angekommen', 'nicht angekommen', 'verspätet', 'verspätung', 'keine bewegung', 'seit tagen', 'immer noch nicht', 'sollte * ankommen', 'warte * auf meine bestellung', 'warte * auf mein paket', 'warte seit * tagen', 'warte seit * wochen', 'seit * wochen'],
    },
    damaged: { match: ['beschädigt', 'kaputt', 'zerbrochen', 'gebrochen', 'bruch', 'riss', 'zerkratzt', 'delle'], negatable: true },
    missing_item: { match: ['fehlt', 'fehlte', 'fehlen', 'nicht dabei', 'nicht im paket'] },
    wrong_item: { match: ['falsche', 'falschen', 'falsches', 'falscher artikel', 'statt', 'anstatt', 'nicht das was ich bestellt'] },
    exchange: { match: ['umtausch*', 'ersatz', 'austausch*', 'neue schicken', 'neu schicken'], negatable: true },
    return_request: { match: ['zurückschick*', 'zurücksend*', 'rücksendung', 'retournier*', 'retoure', 'zurückgeben'], not: ['habe * zurückgeschickt', 'zurückgeschickt'], negatable: true },
    refund: { match: ['rückerstattung', 'erstatt*', 'geld zurück', 'zurückerstatt*', 'geld * zurück', 'zurücküberweis*'], negatable: true },
    quality: { match: ['qualität', 'schlechte qualität', 'defekt', 'funktioniert nicht', 'geht nicht', 'naht', 'aufgegangen', 'löst sich', 'billig'], not: ['gute qualität', 'tolle qualität'] },
    cancel: { match: ['stornier*', 'storno', 'abbestellen'], negatable: true },
    address_change: { match: ['adresse ändern', 'lieferadresse', 'neue adresse', 'adresse * ändern', 'andere adresse', 'adressänderung', 'adresse * korrigieren'] },
    chargeback: { match: ['rückbuchung', 'meine bank', 'chargeback', 'käuferschutz', 'streitfall', 'lastschrift zurück'], negatable: true },
    complaint: { match: ['beschwer*', 'vorgesetzt*', 'keine antwort', 'antwortet niemand', 'unverschämt', 'kundenservice', 'inakzeptabel'] },
    praise: { match: ['vielen dank', 'super', 'toll', 'perfekt', 'sehr zufrieden', 'wunderschön', 'gerne wieder', 'liebe', 'empfehlen', 'begeistert'], weak: ['danke', 'schön', 'gut'] },
  },
  negations: ['möchte keine', 'möchte keinen', 'möchte kein', 'will keine', 'will keinen', 'brauche keine', 'brauche keinen', 'nicht nötig', 'statt'],
  orderContext: ['meine bestellung', 'bestellung', 'bestellt', 'gekauft', 'angekommen', 'erhalten', 'paket', 'geliefert'],
  threats: {
    negative_review: ['bewertung', 'rezension', 'trustpilot', 'ein stern', 'einen stern'],
    public_post: ['instagram', 'facebook', 'tiktok', 'twitter', 'social media', 'öffentlich', 'meine follower'],
    chargeback: ['rückbuchung', 'meine bank', 'chargeback', 'käuferschutz', 'bank'],
    legal: ['anwalt', 'rechtsanwalt', 'klage', 'verklagen', 'gericht', 'verbraucherzentrale', 'rechtliche schritte'],
  },
  threatsAlways: { negative_review: ['schlechte bewertung', 'negative bewertung', 'einen stern', 'ein stern'] },
  escalationRequest: ['vorgesetzt*', 'beschwer*', 'geschäftsführ*', 'chef', 'eskalier*'],
  kol: ['influencer*', 'content creator', 'creator', 'kooperation', 'zusammenarbeit', 'meine follower', 'mein kanal'],
  bulk: ['großhandel', 'großbestellung', 'mengenrabatt', 'in großen mengen', 'für unseren laden'],
  purchase: ['bestellen', 'kaufen', 'brauchen', 'benötigen', 'möchten'],
  notQuantity: ['tage', 'tagen', 'wochen', 'monate', 'monaten', 'jahre', 'stunden', 'minuten', 'k', 'follower', '%', 'cm', 'euro', '€'],
  usage: ['nach', 'benutzung', 'benutzt', 'getragen', 'gewaschen', 'wochen', 'schon', 'bereits'],
  arrival: ['angekommen', 'geliefert', 'paket', 'karton', 'lieferung', 'erhalten', 'ausgepackt'],
  furious: ['frechheit', 'betrug', 'betrüger', 'unverschämt', 'scheiße', 'mist', 'lächerlich', 'katastrophe', 'inakzeptabel'],
  upset: ['enttäuscht', 'ärgerlich', 'verärgert', 'sauer', 'leider', 'immer noch', 'schlecht'],
  positive: ['vielen dank', 'super', 'toll', 'perfekt', 'sehr zufrieden', 'wunderschön', 'gerne wieder', 'begeistert', 'empfehlen'],
  negative: ['beschädigt', 'kaputt', 'zerbrochen', 'nicht angekommen', 'verspätet', 'falsche', 'rückerstattung', 'beschwer', 'defekt', 'fehlt', 'fehlte', 'problem', 'leider', 'keine bewegung', 'frechheit', 'nach zwei wochen'],
  paid: ['bezahlt', 'gezahlt', 'gekostet', 'ausgegeben'],
};
