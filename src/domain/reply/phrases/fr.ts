import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// French, with "vous". Plain words, short sentences, no legal tone; say what is known, what happens
// next and by when, and never promise what the store does not control (an arrival day). French
// typography: a non-breaking space inside « » and before a colon or semicolon.

const nb = '\u00a0';
/** "1 jour ouvré", "3 jours ouvrés", "5 à 10 jours ouvrés". */
const days = ([a, b]: DayRange) => (a === b ? `${a} ${a === 1 ? 'jour ouvré' : 'jours ouvrés'}` : `${a} à ${b} jours ouvrés`);
const calendarDays = (n: number) => `${n} ${n === 1 ? 'jour' : 'jours'}`;
const ord = (o: string | null) => (o ? `votre commande ${o}` : 'votre commande');
/** Who takes the next step: a named person from the team (third person), or the team (we). */
const who = (owner: string | null, one: string, we: string) => (owner ? `${owner}, de notre équipe, ${one}` : `Nous ${we}`);

const ISSUE: Record<ReplyType, (o: string) => string> = {
  delay: (o) => `${o} ne vous est pas encore parvenue et met plus de temps que prévu.`,
  order_status: (o) => `Vous souhaitez savoir où en est ${o}.`,
  damage: (o) => `Un article de ${o} est arrivé abîmé.`,
  missing: (o) => `Il manque quelque chose dans ${o}.`,
  wrong_item: (o) => `${o} ne contenait pas ce que vous aviez commandé.`,
  quality: (o) => `Un article de ${o} n’a pas tenu aussi longtemps qu’il aurait dû.`,
  return: (o) => `Vous souhaitez retourner un article de ${o}.`,
  exchange: (o) => `Vous souhaitez échanger un article de ${o}.`,
  refund: (o) => `Vous attendez le remboursement de ${o}.`,
  cancel: (o) => `Vous souhaitez annuler ${o}.`,
  address_change: (o) => `L’adresse de livraison de ${o} doit être modifiée.`,
  dispute: (o) => `Vous avez ouvert un litige de paiement concernant ${o}.`,
  // The thanks already confirms a general message: nothing to add.
  general: () => '',
};

export const fr: ReplyPhrases = {
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  signoff: (owner) => (owner ? `Bien cordialement,\n${owner}` : 'Bien cordialement,\nL’équipe du service client'),
  quoted: (quote, sorry) =>
    `Merci de nous avoir écrit. Vous nous dites${nb}: «${nb}${quote}${nb}».${sorry ? ' Nous en sommes vraiment désolés.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](ord(order));
    return text ? `Merci de nous avoir écrit. ${capital(text)}` : 'Merci de nous avoir écrit.';
  },
  status: {
    unfulfilled: (o) => `${capital(ord(o))} n’a pas encore quitté notre entrepôt.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `${capital(ord(order))} est en route${carrier ? `, acheminée par ${carrier}` : ''}${shipped ? `${nb}: elle a quitté notre entrepôt le ${shipped}` : ''}${tracking ? ` (numéro de suivi${nb}: ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `${carrier ?? 'Le transporteur'} indique que ${ord(order)} a été livrée${delivered ? ` le ${delivered}` : ''}.`,
    returned: (o) => `${capital(ord(o))} est sur le chemin du retour vers notre entrepôt.`,
    cancelled: (o) => `${capital(ord(o))} est annulée.`,
    unknown: (o) => `Je vérifie ${ord(o)} en ce moment.`,
    window: ({ country, days: d }) => `La livraison${country ? ` ${to(country)}` : ''} prend habituellement ${days(d)}.`,
    late: () => 'Ce délai est maintenant dépassé, le colis a donc été retenu quelque part en chemin.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `Nous demandons ${carrier ? `à ${carrier}` : 'au transporteur'} de retrouver le colis. ${who(owner, 'vous écrira', 'vous écrirons')} au plus tard le ${by} pour vous transmettre sa réponse, même s’il n’y a encore rien de nouveau.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${who(owner, 'vous enverra un article de remplacement ou vous remboursera', 'vous enverrons un article de remplacement ou vous rembourserons')}, comme vous le préférez, dès que nous aurons ce qui est demandé ci-dessous${refundDays ? ` (le remboursement vous parvient sous ${days(refundDays)})` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null
          ? `Vous pouvez retourner vos articles dans un délai de ${calendarDays(windowDays)} après leur réception.`
          : 'Nous vous confirmerons les modalités du retour.',
        whoPays === 'store'
          ? `Les frais de retour sont à notre charge${nb}: nous vous enverrons une étiquette de retour.`
          : whoPays === 'store_if_faulty'
            ? `Si l’article est défectueux, le retour est à nos frais${nb}; sinon, il est à votre charge.`
            : whoPays === 'customer'
              ? 'Les frais de retour sont à votre charge.'
              : null,
        refundDays ? `Dès réception du retour, votre remboursement vous parvient sous ${days(refundDays)}.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'Nous ne pouvons pas échanger les articles, mais vous pouvez retourner celui-ci et commander celui qui vous convient.'
        : `Nous ferons l’échange dès que vous nous aurez indiqué ce que vous souhaitez à la place${windowDays !== null ? ` (les échanges sont possibles dans un délai de ${calendarDays(windowDays)} après réception)` : ''}.`,
    refund: ({ refundDays, to: dest, owner }) =>
      `${who(owner, 's’occupe de vous rembourser', 'nous occupons de vous rembourser')}${dest === 'store_credit' ? ' sous forme d’avoir' : dest === 'original_payment' ? ' sur votre moyen de paiement d’origine' : ''}${refundDays ? `${nb}; une fois le remboursement effectué, il vous parvient sous ${days(refundDays)}` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? `Votre commande a déjà quitté notre entrepôt, nous ne pouvons donc plus l’arrêter${nb}: une fois le colis reçu, vous pourrez nous le renvoyer et nous vous rembourserons.`
        : `Nous annulons votre commande${refundDays ? ` et votre remboursement vous parvient sous ${days(refundDays)}` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? `Votre commande a déjà quitté notre entrepôt${nb}: nous allons donc demander au transporteur de la réacheminer, et je vous confirmerai si c’est possible.`
        : 'Nous modifierons l’adresse avant l’expédition.',
    dispute: ({ by, owner }) =>
      `${who(owner, 'examinera votre commande et vous écrira', 'examinerons votre commande et vous écrirons')} au plus tard le ${by} pour vous dire ce que nous avons constaté et comment arranger les choses, sans que vous ayez à attendre votre prestataire de paiement.`,
    general: ({ by, owner }) => `${who(owner, 'vous répondra', 'vous répondrons')} au plus tard le ${by}.`,
  },
  needs: {
    evidence: (items) => `Pour cela, merci de nous envoyer ${list(items)}.`,
    photos: 'une photo de l’article (pour voir le problème et, si besoin, faire une réclamation auprès du transporteur)',
    video: 'une courte vidéo montrant le problème (pour voir ce qui se passe)',
    packaging_photos: 'une photo du carton dans lequel il est arrivé (le transporteur la demande)',
    order_number: 'votre numéro de commande (pour retrouver le bon colis)',
    proof_of_purchase: 'votre facture ou votre confirmation de commande (pour retrouver votre achat)',
    exchangeChoice: 'Merci de nous indiquer de quel article il s’agit et la taille ou la couleur que vous souhaitez à la place.',
    newAddress: 'Merci de nous envoyer la nouvelle adresse complète, avec le code postal.',
  },
  contact: (path) =>
    path
      ? `Si quelque chose n’est pas clair, répondez simplement à ce message ou contactez-nous via ${path}${nb}: nous réglerons cela directement avec vous.`
      : `Si quelque chose n’est pas clair, répondez simplement à ce message${nb}: nous réglerons cela directement avec vous.`,
  date: (d) => d.toLocaleDateString('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "en Allemagne", "au Portugal", "aux Pays-Bas", "à Chypre". */
function to(country: string): string {
  const at = ['Chypre', 'Malte', 'Monaco', 'Singapour', 'Hong Kong', 'Madagascar', 'Cuba', 'Saint-Marin', 'Andorre'];
  const masculineInE = ['Mexique', 'Cambodge', 'Mozambique', 'Zimbabwe'];
  if (at.includes(country)) return `à ${country}`;
  if (/^(?:Pays-Bas|États-Unis|Émirats|Philippines|Maldives|Seychelles|Bahamas|Comores)/u.test(country)) return `aux ${country}`;
  if (!masculineInE.includes(country) && (/e$/u.test(country) || /^[AEIOUÉÈÂÎÔ]/u.test(country))) return `en ${country}`;
  return `au ${country}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}
