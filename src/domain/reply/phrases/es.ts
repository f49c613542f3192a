import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// Spanish, tuteando (as most online shops in Spain and Latin America write to their customers).
// Plain words, short sentences, no legal tone; say what is known, what happens next and by when,
// and never promise what the store does not control (an arrival day).

/** "1 día hábil", "3 días hábiles", "5 a 10 días hábiles". */
const days = ([a, b]: DayRange) => (a === b ? `${a} ${a === 1 ? 'día hábil' : 'días hábiles'}` : `${a} a ${b} días hábiles`);
/** How long something takes: "1 día hábil", "de 5 a 10 días hábiles". */
const takes = (d: DayRange) => (d[0] === d[1] ? days(d) : `de ${days(d)}`);
const within = (d: DayRange) => `en un plazo de ${days(d)}`;
const ord = (o: string | null) => (o ? `tu pedido ${o}` : 'tu pedido');
/** Who takes the next step: a named person from the team (third person), or the team (we). */
const who = (owner: string | null, one: string, we: string) => (owner ? `${owner}, de nuestro equipo, ${one}` : capital(we));
const carrierOr = (carrier: string | null) => carrier ?? 'la empresa de transporte';

const ISSUE: Record<ReplyType, (o: string) => string> = {
  delay: (o) => `${o} todavía no te ha llegado y está tardando más de lo que debería.`,
  order_status: (o) => `Quieres saber dónde está ${o}.`,
  damage: (o) => `Un artículo de ${o} ha llegado dañado.`,
  missing: (o) => `Falta algo en ${o}.`,
  wrong_item: (o) => `En ${o} no venía lo que pediste.`,
  quality: (o) => `Un artículo de ${o} no ha aguantado como debería.`,
  return: (o) => `Quieres devolver algo de ${o}.`,
  exchange: (o) => `Quieres cambiar algo de ${o}.`,
  refund: (o) => `Estás esperando el reembolso de ${o}.`,
  cancel: (o) => `Quieres cancelar ${o}.`,
  address_change: (o) => `Hay que modificar la dirección de entrega de ${o}.`,
  dispute: (o) => `Has abierto una disputa de pago sobre ${o}.`,
  // The thanks already confirms a general message: nothing to add.
  general: () => '',
};

export const es: ReplyPhrases = {
  greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
  signoff: (owner) => (owner ? `Un saludo,\n${owner}` : 'Un saludo,\nEl equipo de atención al cliente'),
  quoted: (quote, sorry) => `Gracias por escribirnos. Nos cuentas: «${quote}».${sorry ? ' Lo siento mucho.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](ord(order));
    return text ? `Gracias por escribirnos. ${capital(text)}` : 'Gracias por escribirnos.';
  },
  status: {
    unfulfilled: (o) => `${capital(ord(o))} todavía no ha salido de nuestro almacén.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `${capital(ord(order))} está en camino${carrier ? ` con ${carrier}` : ''}${shipped ? `: salió de nuestro almacén el ${shipped}` : ''}${tracking ? ` (número de seguimiento: ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `Según ${carrierOr(carrier)}, ${ord(order)} figura como entregado${delivered ? ` el ${delivered}` : ''}.`,
    returned: (o) => `${capital(ord(o))} está de camino de vuelta a nuestro almacén.`,
    cancelled: (o) => `${capital(ord(o))} está cancelado.`,
    unknown: (o) => `Estoy revisando ${ord(o)} en este momento.`,
    window: ({ country, days: d }) => `Los envíos${country ? ` ${to(country)}` : ''} suelen tardar ${takes(d)}.`,
    late: () => 'Ese plazo ya ha pasado, así que algo lo ha retrasado por el camino.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `Le estamos pidiendo a ${carrierOr(carrier)} que localice el paquete. ${who(owner, 'te escribirá', 'te escribiremos')} a más tardar el ${by}, para contarte lo que nos digan, aunque todavía no haya novedades.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${who(owner, 'te enviará un artículo nuevo o te devolverá el dinero', 'te enviaremos un artículo nuevo o te devolveremos el dinero')}, lo que prefieras, en cuanto tengamos lo que te pedimos a continuación${refundDays ? ` (el reembolso te llega ${within(refundDays)})` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null
          ? `Tienes ${windowDays} ${windowDays === 1 ? 'día' : 'días'} desde que recibes el pedido para devolver los artículos.`
          : 'Confirmaremos la devolución contigo.',
        whoPays === 'store'
          ? 'El envío de la devolución corre por nuestra cuenta: te mandaremos una etiqueta de devolución.'
          : whoPays === 'store_if_faulty'
            ? 'Si el artículo es defectuoso, el envío de la devolución corre por nuestra cuenta; si no, corre por la tuya.'
            : whoPays === 'customer'
              ? 'El envío de la devolución corre por tu cuenta.'
              : null,
        refundDays ? `Cuando recibamos la devolución, el reembolso te llega ${within(refundDays)}.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'No podemos hacer cambios, pero puedes devolver el artículo y pedir el que quieras.'
        : `Te lo cambiamos en cuanto nos digas qué quieres en su lugar${windowDays !== null ? ` (tienes ${windowDays} ${windowDays === 1 ? 'día' : 'días'} desde que recibes el pedido para hacer cambios)` : ''}.`,
    refund: ({ refundDays, to: dest, owner }) =>
      `${who(owner, 'se encargará de que recibas tu reembolso', 'nos encargaremos de que recibas tu reembolso')}${dest === 'store_credit' ? ' como saldo para usar en la tienda' : dest === 'original_payment' ? ' en el mismo método de pago que usaste' : ''}${refundDays ? `; una vez emitido, te llega ${within(refundDays)}` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? 'Ya ha salido de nuestro almacén, así que no podemos pararlo: cuando te llegue, puedes devolvérnoslo y te reembolsaremos el importe.'
        : `Ya lo estamos cancelando${refundDays ? ` y el reembolso te llega ${within(refundDays)}` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? 'Ya ha salido de nuestro almacén, así que pediremos a la empresa de transporte que lo desvíe a la nueva dirección; te confirmaré si es posible.'
        : 'Modificaremos la dirección antes de enviarlo.',
    dispute: ({ by, owner }) =>
      `${who(owner, 'revisará tu pedido y te escribirá', 'revisaremos tu pedido y te escribiremos')} a más tardar el ${by}, para contarte qué hemos encontrado y cómo podemos solucionarlo, sin que tengas que esperar a tu proveedor de pagos.`,
    general: ({ by, owner }) => `${who(owner, 'te responderá', 'te responderemos')} a más tardar el ${by}.`,
  },
  needs: {
    evidence: (items) => `Para ello, envíanos ${list(items)}.`,
    photos: 'una foto del artículo (para ver el problema y, si hace falta, reclamarlo a la empresa de transporte)',
    video: 'un vídeo corto en el que se vea el problema (para ver qué ocurre)',
    packaging_photos: 'una foto de la caja en la que llegó (la empresa de transporte la pide)',
    order_number: 'tu número de pedido (para encontrar el paquete correcto)',
    proof_of_purchase: 'tu factura o la confirmación del pedido (para localizar la compra)',
    exchangeChoice: 'Dinos qué artículo es y qué talla o color quieres en su lugar.',
    newAddress: 'Envíanos la nueva dirección completa, con el código postal.',
  },
  contact: (path) =>
    path
      ? `Si algo no queda claro, responde a este mensaje o contáctanos en ${path}: lo resolveremos contigo directamente.`
      : 'Si algo no queda claro, responde a este mensaje: lo resolveremos contigo directamente.',
  date: (d) => d.toLocaleDateString('es-ES', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "a Alemania", "al Reino Unido", "a los Países Bajos". */
function to(country: string): string {
  const withArticle: Record<string, string> = { 'Reino Unido': 'al', 'Países Bajos': 'a los', 'Emiratos Árabes Unidos': 'a los' };
  return `${withArticle[country] ?? 'a'} ${country}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  const last = items.at(-1)!;
  // "y" becomes "e" before an "i" sound.
  return `${items.slice(0, -1).join(', ')} ${/^h?i(?![aeiouáéó])/i.test(last) ? 'e' : 'y'} ${last}`;
}
