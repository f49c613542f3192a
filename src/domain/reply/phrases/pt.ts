import type { DayRange } from '../../policy';
import type { ReplyPhrases, ReplyType } from '../types';

// Portuguese (Brazil), with "você". Plain words, short sentences, no legal tone; say what is known,
// what happens next and by when, and never promise what the store does not control (an arrival day).

/** "1 dia útil", "3 dias úteis", "5 a 10 dias úteis". */
const days = ([a, b]: DayRange) => (a === b ? `${a} ${a === 1 ? 'dia útil' : 'dias úteis'}` : `${a} a ${b} dias úteis`);
/** How long something takes: "1 dia útil", "de 5 a 10 dias úteis". */
const takes = (d: DayRange) => (d[0] === d[1] ? days(d) : `de ${days(d)}`);
const calendarDays = (n: number) => `${n} ${n === 1 ? 'dia' : 'dias'}`;
/** The order without its article, so the sentence can say "do", "no": "seu pedido #1042". */
const ord = (o: string | null) => (o ? `seu pedido ${o}` : 'seu pedido');
/** Who takes the next step: a named person from the team (third person), or the team (we). */
const who = (owner: string | null, one: string, we: string) => (owner ? `${owner}, da nossa equipe, ${one}` : capital(we));
const carrierOr = (carrier: string | null) => (carrier ? `a transportadora ${carrier}` : 'a transportadora');
/** A formatted date with its article: "na segunda-feira, 3 de março", "no sábado, 8 de março". */
const on = (date: string) => `${/^(?:sábado|domingo)/u.test(date) ? 'no' : 'na'} ${date}`;

const ISSUE: Record<ReplyType, (o: string) => string> = {
  delay: (o) => `${o} ainda não chegou até você e está demorando mais do que deveria.`,
  order_status: (o) => `Você quer saber onde está o ${o}.`,
  damage: (o) => `Um item do ${o} chegou danificado.`,
  missing: (o) => `Está faltando algo no ${o}.`,
  wrong_item: (o) => `${o} não veio com o que você pediu.`,
  quality: (o) => `Um item do ${o} não durou como deveria.`,
  return: (o) => `Você quer devolver um item do ${o}.`,
  exchange: (o) => `Você quer trocar um item do ${o}.`,
  refund: (o) => `Você está aguardando o reembolso do ${o}.`,
  cancel: (o) => `Você quer cancelar o ${o}.`,
  address_change: (o) => `O endereço de entrega do ${o} precisa ser alterado.`,
  dispute: (o) => `Você abriu uma contestação de pagamento sobre o ${o}.`,
  // The thanks already confirms a general message: nothing to add.
  general: () => '',
};

export const pt: ReplyPhrases = {
  greeting: (name) => (name ? `Olá, ${name},` : 'Olá,'),
  signoff: (owner) => (owner ? `Um abraço,\n${owner}` : 'Um abraço,\nEquipe de atendimento'),
  quoted: (quote, sorry) => `Agradecemos o seu contato. Você nos contou: “${quote}”.${sorry ? ' Sinto muito por isso.' : ''}`,
  issue: (type, order) => {
    const text = ISSUE[type](ord(order));
    return text ? `Agradecemos o seu contato. ${capital(text)}` : 'Agradecemos o seu contato.';
  },
  status: {
    unfulfilled: (o) => `${capital(ord(o))} ainda não saiu do nosso estoque.`,
    inTransit: ({ order, carrier, tracking, shipped }) =>
      `${capital(ord(order))} está a caminho${carrier ? ` com a transportadora ${carrier}` : ''}${shipped ? `: saiu do nosso estoque ${on(shipped)}` : ''}${tracking ? ` (código de rastreamento ${tracking})` : ''}.`,
    delivered: ({ order, carrier, delivered }) =>
      `Segundo ${carrierOr(carrier)}, o ${ord(order)} consta como entregue${delivered ? ` ${on(delivered)}` : ''}.`,
    returned: (o) => `${capital(ord(o))} está voltando para o nosso estoque.`,
    cancelled: (o) => `${capital(ord(o))} foi cancelado.`,
    unknown: (o) => `Estou verificando o ${ord(o)} agora mesmo.`,
    window: ({ country, days: d }) => `A entrega${country ? ` ${to(country)}` : ''} costuma levar ${takes(d)}.`,
    late: () => 'Esse prazo já passou, então algo atrasou o pedido no caminho.',
  },
  next: {
    chaseCarrier: ({ carrier, by, owner }) =>
      `Estamos pedindo ${carrier ? `à transportadora ${carrier}` : 'à transportadora'} que localize o pacote. ${who(owner, 'vai entrar em contato com você', 'vamos entrar em contato com você')} até ${by}, contando o que eles responderem, mesmo que ainda não haja novidades.`,
    resolveClaim: ({ refundDays, owner }) =>
      `${who(owner, 'vai enviar um item novo ou fazer o reembolso', 'vamos enviar um item novo ou fazer o reembolso')}, como você preferir, assim que tivermos o que pedimos abaixo${refundDays ? ` (o reembolso leva ${takes(refundDays)} para chegar até você)` : ''}.`,
    return: ({ windowDays, whoPays, refundDays }) =>
      [
        windowDays !== null ? `Você pode devolver os itens em até ${calendarDays(windowDays)} após o recebimento.` : 'Vamos combinar a devolução com você.',
        whoPays === 'store'
          ? 'O frete de devolução é por nossa conta: vamos enviar uma etiqueta de devolução para você.'
          : whoPays === 'store_if_faulty'
            ? 'Se o item estiver com defeito, o frete de devolução é por nossa conta; caso contrário, fica por sua conta.'
            : whoPays === 'customer'
              ? 'O frete de devolução fica por sua conta.'
              : null,
        refundDays ? `Assim que o item voltar para nós, o reembolso leva ${takes(refundDays)} para chegar até você.` : null,
      ]
        .filter(Boolean)
        .join(' '),
    exchange: ({ windowDays, allowed }) =>
      allowed === false
        ? 'Não fazemos trocas, mas você pode devolver o item e pedir o que preferir.'
        : `Fazemos a troca assim que você nos disser o que prefere no lugar${windowDays !== null ? ` (as trocas podem ser feitas em até ${calendarDays(windowDays)} após o recebimento)` : ''}.`,
    refund: ({ refundDays, to: dest, owner }) =>
      `${who(owner, 'vai cuidar do seu reembolso', 'vamos cuidar do seu reembolso')}${dest === 'store_credit' ? ', que será feito como crédito na loja' : dest === 'original_payment' ? ', que será feito na mesma forma de pagamento que você usou' : ''}${refundDays ? `; depois de emitido, ele leva ${takes(refundDays)} para chegar até você` : ''}.`,
    cancel: ({ shipped, refundDays }) =>
      shipped
        ? 'Seu pedido já saiu do nosso estoque, então não conseguimos mais impedir a entrega: quando ele chegar, você pode devolvê-lo e nós faremos o reembolso.'
        : `Estamos cancelando o pedido agora${refundDays ? `, e o reembolso leva ${takes(refundDays)} para chegar até você` : ''}.`,
    addressChange: ({ shipped }) =>
      shipped
        ? 'Seu pedido já saiu do nosso estoque, então vamos pedir à transportadora que redirecione a entrega; eu confirmo para você se for possível.'
        : 'Vamos alterar o endereço antes do envio.',
    dispute: ({ by, owner }) =>
      `${who(owner, 'vai analisar seu pedido e entrar em contato com você', 'vamos analisar seu pedido e entrar em contato com você')} até ${by}, com o que encontramos e como podemos resolver, para que você não precise esperar pela operadora de pagamento.`,
    general: ({ by, owner }) => `${who(owner, 'vai retornar para você', 'vamos retornar para você')} até ${by}.`,
  },
  needs: {
    evidence: (items) => `Para isso, precisamos que você nos envie ${list(items)}.`,
    photos: 'uma foto do item (para vermos o problema e, se necessário, acionarmos a transportadora)',
    video: 'um vídeo curto mostrando o problema (para entendermos o que acontece)',
    packaging_photos: 'uma foto da caixa em que ele chegou (a transportadora pede)',
    order_number: 'o número do seu pedido (para encontrarmos o pacote certo)',
    proof_of_purchase: 'a nota fiscal ou a confirmação do pedido (para localizarmos a compra)',
    exchangeChoice: 'Conte para nós qual é o item e qual tamanho ou cor você quer no lugar.',
    newAddress: 'Envie para nós o novo endereço completo, com o CEP.',
  },
  contact: (path) =>
    path
      ? `Se algo não ficou claro, é só responder a esta mensagem ou falar conosco por ${path}: vamos resolver isso diretamente com você.`
      : 'Se algo não ficou claro, é só responder a esta mensagem: vamos resolver isso diretamente com você.',
  date: (d) => d.toLocaleDateString('pt-BR', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "para a Alemanha", "para o Brasil", "para os Estados Unidos", "para Portugal". */
function to(country: string): string {
  const bare = ['Portugal', 'Angola', 'Moçambique', 'Cabo Verde', 'Cuba', 'Israel', 'Malta', 'Mônaco', 'Andorra', 'Singapura', 'Macau', 'Hong Kong', 'Luxemburgo', 'Timor-Leste', 'São Tomé e Príncipe', 'Chipre'];
  if (bare.includes(country)) return `para ${country}`;
  if (/^(?:Estados Unidos|Países Baixos|Emirados)/u.test(country)) return `para os ${country}`;
  if (/^Filipinas/u.test(country)) return `para as ${country}`;
  return `para ${/a$/u.test(country) ? 'a' : 'o'} ${country}`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} e ${items.at(-1)}`;
}
