import type { Lexicon } from './types';

// English phrase tables. Words are stemmed with natural's Porter stemmer when compiled, so
// watch for stems that collide: "customs" and "customer" both stem to "custom", "installments"
// to "instal"; such words are written with "=" (exact) below.

export const en: Lexicon = {
  tags: {
    sizing: {
      match: [
        'what size', 'which size', 'size chart', 'size guide', '=sizing', 'true to size', 'size up', 'size down', 'runs small', 'runs large',
        'run small', 'run large', 'runs big', 'too small', 'too big', 'too tight', 'too loose', 'too long', 'too short', 'bit tight', 'bit big',
        'bit small', 'bit large', 'bit loose', 'usual size', 'normally a', 'usually a', 'inside leg', 'measurements', 'm or l', 's or m', 'l or xl',
        'xs or s', 'between s', 'between m', 'between xs', 'between sizes', 'fit perfectly', 'fits perfectly', 'slim fit', 'regular fit',
        'fit well', 'fits well', 'the fit', 'wide fit', 'too narrow', 'bust', 'what size is', 'size would', 'size do you', 'size should',
        'size is she', 'size is he', 'model wearing',
      ],
      weak: ['size', 'fit', 'small', 'large', 'tight', 'waist', 'sleeves', 'length'],
      not: [
        'wrong size', 'sent the wrong size', 'ordered a size', 'ordered size', 'litre size', 'bigger version', 'fit * iphone', 'fit * phone',
        'fit * tv', 'fit * model', 'fit * laptop', 'fit * macbook', 'fit * pixel', 'fit * samsung', 'fit * galaxy', 'small mix',
      ],
    },
    material: {
      match: [
        'made of', 'made from', 'what material', 'what fabric', 'real leather', 'genuine leather', 'vegan leather', '100 %', 'pure wool',
        'care instructions', 'how to wash', 'how do i wash', 'way to wash', 'machine wash', 'hand wash', 'dishwasher safe', 'food safe',
        'non toxic', 'shrink', 'see through', 'a blend', 'treated with', 'or polyester', 'real wood', 'solid oak', 'is it real', 'cotton',
        'merino', 'linen is', 'or paraffin', 'or vegan', 'what is it made',
      ],
      weak: ['leather', 'wool', 'linen', 'fabric', 'material', 'polyester', 'silk', 'soy', 'paraffin', 'dye', 'wash', 'oil', 'wood', 'veneer', 'the fabric', 'the material'],
      not: ['washed it', 'after one wash', 'after a single wash', 'after the first wash', 'cheap plastic', 'like plastic', 'fabric feels cheap', 'material feels cheap'],
    },
    compatibility: {
      match: [
        'compatible', 'compatibility', 'work with', 'works with', 'working with', 'fit the iphone', 'fit my phone', 'fit * iphone', 'fit * pixel',
        'fit * samsung', 'fit * galaxy', 'fit * tv', 'fit * macbook', 'fit * laptop', 'fit * model', 'older model', 'old model', 'with my old',
        'with the older', 'fit my car', 'fit my bike',
      ],
      not: ['work with me'],
    },
    installation: {
      match: [
        '=install', '=installation', '=installing', '=installed', 'set up', 'setup', 'assemble', 'assembly', 'put together', 'put it together',
        'mount', 'mounting', 'wall plugs', 'pair the', 'pairing', 'connect to wifi', "won't connect", 'reset the', 'instructions', 'set the',
        'how do i set', 'flatpack', 'manual',
      ],
      not: ['set the record', 'care instructions', 'washing instructions', 'wash instructions'],
    },
    delivery_time: {
      match: [
        'how long does shipping', 'how long does delivery', 'how long does it take', 'how long would it take', 'how long is shipping',
        'how long is delivery', 'delivery time', 'delivery times', 'shipping time', 'shipping times', 'how long * take', 'how long * delivery',
        'how long * shipping', 'slower than', 'delivery estimate', 'deliver on',
      ],
      presale: ['when would it', 'when will it ship', 'ship to', 'arrive by', 'arrive before', 'get here by', 'before christmas', 'in time for', 'by friday', 'delivery to', 'shipping to'],
      not: ['before it ships'],
    },
    payment: {
      match: [
        'pay with', 'pay by', 'pay in', 'payment', 'paypal', 'klarna', 'afterpay', 'apple pay', 'google pay', 'bank transfer', '=installments',
        '=instalments', 'declined', 'charged twice', 'double charge', 'charged my card twice', 'two pending', 'gift card', 'bancontact',
        'enter my card', '=accept', 'do you take', 'pay later', 'in usd', 'in eur', 'in dollars', 'currency',
      ],
      not: [
        'dispute * paypal', 'paypal dispute', 'paypal claim', 'klarna dispute', 'reverse the payment', 'pay for return', 'pay for the return',
        'pay shipping', 'pay for shipping', 'wrong currency',
      ],
    },
    discount_code: {
      match: ['discount code', 'discount', 'promo code', 'coupon', 'voucher', 'code', 'student discount', '% off', 'percent off', 'codes'],
      not: ['reason code', 'zip code', 'post code', 'postal code', 'discount for quantity', 'quantity discount', 'bulk discount', 'got a coupon'],
    },
    return_policy: {
      match: [
        'return policy', 'refund policy', 'returns policy', 'return window', 'how long do i have to return', 'return postage', 'return shipping',
        'free returns', 'return them free', 'pay for the return', 'pay for return', 'gift receipt', 'store credit', 'if i return', 'return it if',
        'exchange for free', 'without a receipt', 'within the return', 'who pays',
      ],
      presale: ['can i return', 'can you return', '=returns', 'exchange it', 'can i exchange'],
    },
    stock: {
      match: [
        'in stock', 'out of stock', 'back in stock', 'restock', 'restocking', 'sold out', 'available in', 'come in', 'be back', 'come back',
        'pre order', 'preorder', 'do you stock', 'ever stock', 'getting more', 'get more', 'available', 'availability', 'reorder', 'back soon',
      ],
      not: ['come back to', 'back to me', 'came in', 'come in handy'],
    },
    order_status: {
      match: [
        'where is my order', "where's my order", 'where is my parcel', 'where is my package', 'where is it', 'has it shipped', 'shipped yet',
        'has my order shipped', 'has * shipped', 'been shipped', 'been sent', 'sent yet', 'been posted', 'been dispatched', 'be dispatched',
        'dispatched', 'tracking number', 'tracking link', 'track my', 'shipping confirmation', 'shipping email', 'status of my order',
        'order status', 'any update', 'any news', 'update on', 'when will it arrive', 'when will my order', 'on its way', 'go out', 'did my order',
        'delivery date', 'when will that arrive', 'received their order', 'label created', 'check the status', 'has it been sent', 'is it posted',
      ],
      aftersale: ['when will it ship', 'when will my', 'when will they', 'will ship'],
      not: ["hasn't shipped yet", 'has not shipped yet', 'before it ships', 'tracking still says', "tracking hasn't moved", "tracking hasn't updated"],
    },
    shipping_delay: {
      match: [
        'late', 'delayed', 'delay', 'still waiting', 'still not arrived', "hasn't arrived", 'not arrived', 'still nothing', 'and nothing',
        'still no package', 'still no parcel', 'still no order', 'taking so long', 'supposed to arrive', 'was due', 'stuck', '=customs',
        "hasn't moved", "hasn't updated", 'not updated', 'still not delivered', 'not delivered', 'never arrived', 'took forever',
        'still in transit', 'says in transit', 'weeks for delivery', 'waiting on my order', 'estimated delivery was', 'still hasn\'t shipped',
        'still not shipped', 'still hasn\'t arrived', 'still not here', 'is it lost', 'lost in the post', 'lost parcel', 'parcel is lost',
        'package is lost', 'took a month', 'slow delivery', 'never received', 'not received anything', 'never came', 'still no sign',
        'no package', 'weeks and nothing', 'weeks and still', 'days and nothing', 'still not', 'nobody turned up', 'no one turned up',
        "didn't turn up", "didn't show up", 'been * weeks', 'been * days', 'been over a week', 'been a week', 'been a month', "doesn't come", "doesn't arrive", "isn't here by", 'not here by',
      ],
      weak: ['weeks', 'waiting', 'investigation', 'ordered * ago', 'days ago', 'weeks ago', 'forever'],
      not: ['an hour ago', 'still not sure', 'still on'],
    },
    damaged: {
      match: [
        'damaged', 'damage', 'broken', 'broke', 'cracked', 'crack', 'chip', 'chipped', 'shattered', 'smashed', 'dented', 'scratch', 'scratched',
        'in pieces', 'crushed', 'snapped', 'soaked', 'ruined', 'stain', 'dent', 'glass all over',
      ],
      not: ['broke the', 'no damage'],
      negatable: true,
    },
    missing_item: {
      match: [
        'missing', "wasn't in", 'was not in', "weren't in", 'not in the box', 'not in the parcel', 'without the', 'marked delivered',
        'says delivered', 'was delivered but', 'delivered but', 'nothing here', 'is missing', 'are missing', 'not in it', 'only got', 'only received',
        'only one of', 'only two of', 'not included', "didn't include", 'never got the',
      ],
      not: ['what am i missing', 'missing out'],
    },
    wrong_item: {
      match: [
        'wrong item', 'wrong colour', 'wrong color', 'received the wrong', 'sent the wrong', 'sent me the wrong', 'got the wrong', 'wrong one',
        'wrong ones', 'not what i ordered', 'different product', 'different item', 'mix up', 'mixup', 'ordered * and received', 'ordered * and got',
        'ordered * but got', 'ordered * but received', 'ordered * got', 'ordered * received', 'box says', 'tag says', 'wrong size',
        'got sent the wrong', 'completely different', 'you sent me a', 'you sent me an', 'you sent me the', 'sent me a different',
      ],
      weak: ['instead of', 'wrong'],
      not: ['i ordered the wrong', 'ordered the wrong', 'ordered by mistake', 'wrong address', 'wrong currency', 'went wrong', 'wrong house'],
    },
    exchange: {
      aftersale: [
        'exchange', 'swap', 'replacement', 'send another', 'send a new', 'send me a new', 'a new one', 'another one', 'send the right',
        'send me the right', 'replace it', 'replace them', 'replace the', 'send it again', 'new pair', 'get a replacement',
      ],
      not: ['replaced it', 'exchange it without', 'exchange or', 'return or exchange', 'exchange for free'],
      negatable: true,
    },
    return_request: {
      match: [
        '=return', 'start a return', 'how do i return', 'want to return', 'like to return', 'need to return', 'send back', 'send it back',
        'send them back', 'return the', 'return it', 'return them', 'return this', 'send back the', 'return request', 'return label',
        'print a label', 'still return', 'return or exchange',
      ],
      not: [
        'return policy', 'return window', 'return postage', 'return shipping', 'free returns', 'if i return', 'return it if', 'return them free',
        'can you return', 'pay for return', '=returned', '=returning', 'return these', "i'll return", 'within the return', 'have to return',
        'returns policy',
      ],
      negatable: true,
    },
    refund: {
      match: [
        'refund', 'refunds', 'refunded', 'money back', 'reimburse', 'reimbursement', 'my money', 'refund me', 'partial refund', 'full refund',
        'pay me back',
      ],
      not: ['refund policy', 'store credit or a refund', 'refund if i return', 'credit or a refund'],
      negatable: true,
    },
    quality: {
      match: [
        'quality', 'poor quality', 'cheap', 'defect', 'defective', 'faulty', 'stopped working', "doesn't work", 'not working', 'stops working',
        'broke after', 'fell apart', 'falling apart', 'coming apart', 'came apart', 'came off', 'coming off', 'peeling', 'faded', 'fading',
        'pilling', 'pilled', 'leak', 'leaks', 'leaking', 'wobbles', 'wobbly', 'crackles', 'crackling', 'chemical smell', 'strong smell',
        'strange smell', 'bad smell', 'smells bad', 'smells weird', 'stale', 'uneven', 'stitching', 'seams', 'not as described',
        'not as advertised', 'looks cheap', 'feels cheap', 'cheap copy', 'duller', '=chipping', 'veneer', 'bad batch', 'garbage', 'crap', 'junk',
        'stopped charging', 'battery', 'lost * colour', 'lost * color', 'plating', 'smoking', 'safety hazard', 'a defect', 'broke within',
        'broke on', 'tore', 'ripped', 'rusty', 'like plastic', 'waste of money', 'worst purchase', 'is loose', 'came loose',
        'not solid', 'flimsy', 'scratches easily', "doesn't charge", "won't charge", 'not real leather',
      ],
      not: ['quality is insane', 'quality is always', 'great quality', 'good quality', 'nice quality', 'quality control', 'the quality of the',
        'love the quality', 'quality is', 'high quality', 'code not working', "code isn't working", 'code is not working', 'link not working',
        'website not working', 'site not working', 'checkout not working'],
    },
    cancel: {
      match: ['=cancel', 'cancel my', 'cancel the', 'please cancel', 'cancel it', 'cancel order', 'cancellation', 'changed my mind', 'cancel and'],
      not: ['cancelled but', 'was cancelled'],
      negatable: true,
    },
    address_change: {
      match: [
        'change * address', 'update * address', 'correct * address', 'address change', 'change the address', 'change address', 'change my address', 'change delivery address', 'change the delivery address',
        'change the shipping address', 'update the address', 'wrong address', 'old address', 'new address', 'new one is', 'ship to my',
        'send it to my', 'deliver to my', 'house number', 'moved house', 'i moved', 'address to', 'change it to', 'address instead',
        'work address', 'my office instead', 'address is wrong', 'wrong postcode', 'wrong zip', 'different address',
      ],
      not: ['instead of'],
    },
    chargeback: {
      match: [
        'chargeback', 'charge back', 'dispute', 'disputes', 'credit card company', 'reverse the payment', 'reverse the charge', 'paypal claim',
        'claim with paypal', 'a to z', 'a-to-z', 'contact * bank', 'contacted * bank', 'contacting * bank', 'report * bank', 'reporting * bank',
        'my bank', 'open a case with', 'buyer protection',
      ],
      not: ['bank transfer', 'bank added', 'the bank added'],
      negatable: true,
    },
    complaint: {
      match: [
        'complaint', 'complain', 'manager', 'supervisor', 'escalate', 'escalated', 'no one replies', 'nobody replies', 'nobody answers',
        'no one answers', 'no reply', 'no response', 'ignored', 'ignoring', 'ignore my', 'never replied', "hasn't answered", 'not answered',
        'nobody answered', 'no one answered', 'rude', 'misleading', 'scam', 'copy paste', 'copy-paste', 'template', 'real person', 'is useless',
        'are useless', 'useless bot', 'a joke', 'ridiculous', 'zero communication', "don't order from here", 'avoid', "don't bother", 'never again',
        'someone in charge', 'how you treat', 'someone senior', 'emails ignored', 'no one picked up', 'nobody picked up', 'customer service were',
        'waiting for someone to reply', 'nobody warned', 'unacceptable', 'consumer protection', 'passed between', 'no one gets back',
        'nobody gets back', 'still waiting for a reply', 'still waiting for an answer', 'waiting in this chat', 'poor service', 'terrible service',
        'bad service', 'worst service', 'great customer service 👏', 'great service 👏', 'keeps logging me out', 'website keeps',
      ],
      weak: ['customer service', 'support team', 'your support', 'emails', 'agent'],
      not: ['customer service is amazing', 'thanks for sorting', 'actually answers'],
    },
    praise: {
      match: [
        'love', 'loved', 'loves', 'amazing', 'perfect', 'perfectly', 'gorgeous', 'beautiful', 'beautifully', 'obsessed', '10 / 10', 'best',
        'i recommend', 'would recommend', 'highly recommend', 'excellent', 'fantastic', 'above and beyond', 'lovely', 'well done', 'great service',
        'so cute', 'spot on', 'thrilled', 'worth every penny', 'thank you', 'thanks so much', 'really helpful', 'comfy', 'soft', 'pretty',
        'great gift', 'good product', 'would buy again', 'order again', 'even better', 'nicer', 'cute', 'great', 'impressed', 'happy', 'yes yes',
        '😍', '❤️', '❤', '🥰', '🙌', '💛', '💕', '✨', 'wow',
      ],
      weak: ['thanks', 'thx', 'ty', 'cheers', 'nice', 'good', 'fine', 'quick', 'quickly', 'helpful'],
      not: ['would love to', "i'd love to", 'not impressed', 'best way', 'best regards', 'not the best', 'hey love', 'hi love', 'hello lovely',
        'hi lovely', 'hey lovely', 'lovely people', 'perfect fit', 'pretty sure', 'not happy', 'not great', 'great customer service 👏'],
    },
  },
  negations: [
    "don't want", 'dont want', 'do not want', "don't need", 'do not need', 'no need', 'not asking', 'not looking for', 'not a', 'rather than',
    "didn't ask", 'never asked', 'not want', 'not going to', 'no intention', "won't be", 'not to',
  ],
  orderContext: [
    'my order', 'order #', 'order number', '=ordered', 'i bought', '=bought', '=received', '=arrived', 'my parcel', 'my package', '=delivered',
    'my item', '=purchased', 'i got', 'got it', '=came', '=shipped', 'my purchase', 'my last order', 'order 1*', 'order 2*', 'order 3*',
    'order 4*', 'order 5*', 'order 6*', 'order 7*', 'order 8*', 'order 9*',
  ],
  threats: {
    negative_review: [
      'review', 'reviews', '1 star', 'one star', '1-star', 'trustpilot', 'negative feedback', 'bad feedback', 'leave feedback', 'warn others',
      'others know', 'everyone know', 'google review',
    ],
    public_post: [
      'instagram', 'facebook', 'tiktok', 'twitter', 'reddit', 'my story', 'social media', 'my followers', 'go public', 'post about',
      'posting about', 'people should know', 'tell everyone', 'telling all', 'tell all my', 'share this', 'youtube', 'telling everyone',
    ],
    chargeback: ['chargeback', 'charge back', 'my bank', 'credit card company', 'card company', 'reverse the payment', 'reverse the charge', 'paypal claim', 'a-to-z', 'a to z'],
    legal: [
      'lawyer', 'legal action', 'legal', 'sue', 'suing', 'court', 'solicitor', 'attorney', 'consumer protection', 'trading standards',
      'small claims', 'ombudsman', 'report you to', 'reporting you to',
    ],
  },
  threatsAlways: {
    negative_review: ['negative review', 'bad review', '1 star review', 'one star review', '1-star', 'terrible review', 'negative feedback'],
    public_post: ['go public', 'tell everyone', 'post about this', 'warn everyone'],
  },
  escalationRequest: [
    'manager', 'supervisor', 'escalate', 'escalated', 'escalation', 'formal complaint', 'make a complaint', 'file a complaint', 'want to complain',
    'someone senior', 'someone in charge', 'speak to someone', 'real person', 'head of', 'your boss',
  ],
  kol: [
    'influencer', 'content creator', 'creator', 'blogger', 'vlogger', 'youtuber', 'tiktoker', 'collab', 'collaboration', 'partnership',
    'pr package', 'my channel', 'create content', 'ugc',
  ],
  bulk: ['wholesale', 'bulk', 'in bulk', 'bulk order', 'bulk orders', 'corporate gifts', 'corporate gift', 'quantity discount', 'discount for quantity', 'for our shop', 'a quote', 'trade price'],
  purchase: ['order', 'buy', 'need', 'purchase', 'looking for', 'reorder', 'want', 'get', 'order of', 'around', 'about', 'approximately'],
  notQuantity: [
    'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'hour', 'hours', 'minute', 'minutes', 'min', 'followers', 'subs',
    'subscribers', '%', 'percent', 'cm', 'mm', 'kg', 'inch', 'euro', 'euros', 'dollar', 'dollars', 'degrees', '€', '$', '£', 'times',
  ],
  usage: [
    'after', 'use', 'used', 'using', 'wear', 'wore', 'wearing', 'wash', 'washed', 'already', 'within', 'first time', 'day one', 'second use',
    'normal use', 'stopped',
  ],
  arrival: [
    'arrived', 'arrive', 'came with', 'came in', 'delivered', 'delivery', 'transit', 'box', 'parcel', 'package', 'unpacked', 'received',
    'courier', 'packaging', 'opened', 'in the post',
  ],
  furious: [
    'wtf', 'crap', 'garbage', 'shit', 'fuck', 'fucking', 'bullshit', 'scam', 'scammers', 'a joke', 'joke of a', 'you people', 'ridiculous',
    'is useless', 'are useless', 'pathetic', 'disgusting', 'disgrace', 'absolutely unacceptable', 'worst ever', 'worst purchase', 'idiots',
    'liars', 'thieves', 'never again', 'rip off', 'ripoff',
  ],
  upset: [
    'disappointed', 'disappointing', 'frustrated', 'frustrating', 'upset', 'unacceptable', 'annoyed', 'annoying', 'seriously', 'not impressed',
    'still waiting', 'fed up', 'sick of', 'unhappy', 'angry', 'terrible', 'awful', 'horrible', 'worst', 'avoid', "don't bother",
    'not acceptable', 'really poor', 'waste', 'patient', 'ignored', 'nobody', 'no one',
  ],
  positive: [
    'love', 'loved', 'perfect', 'amazing', 'gorgeous', 'beautiful', 'lovely', 'obsessed', 'thrilled', 'excellent', 'fantastic', 'i recommend',
    'would recommend', 'thank you so much', 'thanks so much', 'above and beyond', 'well done', 'spot on', 'comfy', 'worth every penny',
    'so cute', '😍', '❤️', '❤', '🥰', '🙌', '💛', '💕', '✨', '10 / 10', 'excited', 'even better',
  ],
  negative: [
    'broken', 'broke', 'damaged', 'cracked', 'missing', 'wrong item', 'wrong size', 'wrong colour', 'the wrong', 'late', 'still waiting',
    'never arrived', 'not arrived', 'disappointed', 'chargeback', 'dispute', 'complaint', 'faded', 'leaks', 'cheap',
    'stopped working', 'fell apart', 'pilled', 'unacceptable', 'ridiculous', 'is useless', 'ignored', 'no one replies', 'scam', 'terrible',
    'worst', 'not impressed', 'declined', 'invalid', "isn't working", 'isnt working', 'not working', "doesn't work", 'stuck', 'smashed',
    'shattered', 'chipped', 'defective', 'problem', 'too small', 'too big', 'too tight', 'still nothing', 'and nothing', 'frustrating',
    'charged twice', 'stale', '😢', '😭', '😕', '🙄', '👏', 'lost', 'delay', 'delayed', 'wobbles', 'crackling', 'crackles', 'coming apart',
    'stain', 'soaked', 'dented', 'misleading', 'rude', 'hazard', 'legal', 'lawyer', 'chemical', 'not real', "don't believe", 'urgently',
    'still no', 'rub',
  ],
  paid: ['paid', 'spent', 'charged', 'cost', 'costs', 'bought', 'for a', 'refund of', 'order of', 'worth'],
};
