import type { Lexicon } from './types';

// Spanish phrase tables, stemmed with natural's Spanish Porter stemmer.

export const es: Lexicon = {
  tags: {
    sizing: {
      not: ['talla equivocada', 'talla incorrecta'],
      match: ['qué talla', 'mi talla', 'tallaje', 'guía de tallas', 'queda pequeño', 'quedan pequeñas', 'queda grande', 'quedan grandes', 'me queda', 'me quedan', 'medidas', 'horma'],
      weak: ['talla', 'pequeño', 'grande', 'holgado', 'ajustado'],
    },
    material: {
      match: ['material', 'tela', 'algodón', 'lino', 'lana', 'cuero', 'de qué está hecho', 'lavar', 'lavado', 'encoge', 'poliéster'],
    },
    compatibility: { match: ['compatible', 'funciona con', 'sirve para', 'vale para'] },
    installation: { match: ['instalar', 'instalación', 'montar', 'montaje', 'configurar', 'instrucciones'] },
    delivery_time: {
      match: ['cuánto tarda', 'tarda el envío', 'plazo de entrega', 'tiempo de envío', 'tiempo de entrega', '=llegaría', 'llega antes', 'envío a', 'envíos a'],
    },
    payment: {
      match: ['formas de pago', 'forma de pago', 'método de pago', 'pagar con', 'puedo pagar', 'pago con', 'paypal', 'tarjeta', 'transferencia', 'bizum', 'contra reembolso', 'a plazos'],
      not: ['disputa * paypal'],
    },
    discount_code: { match: ['código de descuento', 'descuento', 'cupón', 'código promocional', 'código'] },
    return_policy: {
      match: ['política de devoluciones', 'política de devolución', 'plazo de devolución', 'gastos de devolución', 'devolución gratuita'],
      presale: ['puedo devolver', 'se puede devolver'],
    },
    stock: { match: ['stock', 'disponible', 'vuelve a estar disponible', 'agotado', 'agotada', 'reposición', 'reponer', 'en stock'] },
    order_status: {
      match: ['dónde está mi pedido', 'número de seguimiento', 'seguimiento', 'cuándo se envía', 'ha salido', 'estado de mi pedido', 'ya se ha enviado', 'cuándo llega'],
    },
    shipping_delay: {
      match: ['retraso', 'retrasado', 'todavía no', 'aún no', 'llevo * esperando', 'no ha llegado', 'no llega', 'esperando mi pedido', 'sigue sin llegar', 'semanas esperando'],
    },
    damaged: {
      match: ['roto', 'rota', 'rotos', 'rotas', 'dañado', 'dañada', 'grieta', 'golpeado', 'golpeada', 'en mal estado', 'abollado', 'rayado', 'rayada', 'estropeado'],
      negatable: true,
    },
    missing_item: { match: ['falta', 'faltaba', 'faltan', 'no venía', 'no estaba en'] },
    wrong_item: { match: ['equivocado', 'equivocada', 'artículo equivocado', 'en vez de', 'no es lo que pedí', 'me habéis enviado', 'me han enviado', 'pedí * y me'] },
    exchange: { match: ['cambio', 'cambiar', 'la correcta', 'el correcto', 'enviar otro', 'enviar otra', 'mandarme otra', 'mandarme otro', 'sustitución', 'reemplazo'], not: ['cambiar la dirección', 'cambiar de dirección'], negatable: true },
    return_request: { match: ['devolver', 'devolución', 'hago la devolución', 'quiero devolver'], not: ['devolver el dinero', 'devuelvan el dinero', 'política de devolución', 'política de devoluciones', 'plazo de devolución', 'puedo devolver', 'os devuelvo'], negatable: true },
    refund: { match: ['reembolso', 'reembolsar', 'devuelvan el dinero', 'devolver el dinero', 'mi dinero', 'me devuelvan'], not: ['contra reembolso'], negatable: true },
    quality: { match: ['calidad', 'defectuoso', 'defectuosa', 'no funciona', 'dejó de funcionar', 'mala calidad', 'descosido', 'se despega', 'se rompió', 'barato'], not: ['la calidad es buenísima', 'buena calidad', 'calidad es buena'] },
    cancel: { match: ['cancelar', 'cancelación', 'anular'], negatable: true },
    address_change: { match: ['cambiar * dirección', 'dirección de envío', 'nueva dirección', 'dirección equivocada', 'otra dirección', 'cambio de dirección'] },
    chargeback: { match: ['disputa', 'mi banco', 'contracargo', 'con el banco', 'reclamación a paypal'], negatable: true },
    complaint: { match: ['nadie contesta', 'nadie responde', 'sin respuesta', 'queja', 'reclamación', 'vergüenza', 'hoja de reclamaciones', 'encargado', 'responsable', 'estafa', 'inaceptable', 'nadie me contesta'] },
    praise: { match: ['encanta', 'encantada', 'encantado', 'genial', 'perfecto', 'perfecta', 'muchas gracias', 'buenísima', 'buenísimo', 'recomiendo', 'precioso', 'preciosa', 'maravilloso', 'repetiré', 'rapidísimo'], weak: ['gracias', 'bien', 'bonito'] },
  },
  negations: ['no quiero', 'no necesito', 'no hace falta', 'en lugar de', 'sin necesidad'],
  orderContext: ['mi pedido', 'pedido', 'compré', 'recibí', 'llegó', 'me llegó', 'he recibido', 'enviado'],
  threats: {
    negative_review: ['reseña', 'opinión negativa', 'mala opinión', 'valoración', 'trustpilot', 'una estrella'],
    public_post: ['instagram', 'facebook', 'tiktok', 'twitter', 'redes sociales', 'mis seguidores', 'publicar'],
    chargeback: ['disputa', 'mi banco', 'contracargo', 'banco'],
    legal: ['abogado', 'denuncia', 'denunciar', 'demanda', 'consumo', 'juzgado', 'acciones legales', 'omic'],
  },
  threatsAlways: { negative_review: ['reseña negativa', 'mala reseña', 'opinión negativa', 'mala opinión', 'una estrella'] },
  escalationRequest: ['encargado', 'responsable', 'supervisor', 'hoja de reclamaciones', 'reclamación formal', 'poner una queja', 'quiero quejarme'],
  kol: ['influencer', 'creadora de contenido', 'creador de contenido', 'colaboración', 'colaborar', 'mis seguidores', 'mi canal'],
  bulk: ['al por mayor', 'mayorista', 'pedido grande', 'precio por cantidad', 'para mi tienda'],
  purchase: ['comprar', 'pedir', 'necesito', 'necesitamos', 'queremos', 'unos', 'unas'],
  notQuantity: ['días', 'semanas', 'meses', 'años', 'horas', 'minutos', 'k', 'seguidores', '%', 'cm', 'euros', '€'],
  usage: ['después', 'uso', 'usar', 'usado', 'lavado', 'lavar', 'semanas', 'ya'],
  arrival: ['llegó', 'llegado', 'ha llegado', 'paquete', 'caja', 'envío', 'recibí', 'recibido'],
  furious: ['estafa', 'estafadores', 'vergüenza', 'ladrones', 'una mierda', 'mierda', 'inaceptable', 'ridículo', 'vergonzoso'],
  upset: ['decepcionado', 'decepcionada', 'harto', 'harta', 'molesto', 'molesta', 'fatal', 'terrible', 'nadie contesta', 'tres semanas'],
  positive: ['encanta', 'encantada', 'genial', 'perfecto', 'muchas gracias', 'buenísima', 'recomiendo', 'precioso', 'maravilloso', 'rapidísimo', '😍', '❤️'],
  negative: ['roto', 'rota', 'dañado', 'no ha llegado', 'retraso', 'equivocado', 'equivocada', 'reembolso', 'disputa', 'queja', 'no funciona', 'vergüenza', 'falta', 'nada', 'problema'],
  paid: ['pagado', 'pagué', 'he pagado', 'costó', 'gastado'],
};
