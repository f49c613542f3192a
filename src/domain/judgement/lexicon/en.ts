import type { Lexicon } from './types';

// English phrase tables. Words are stemmed with natural's Porter stemmer at load time.

export const en: Lexicon = {
  tags: {
    sizing: {
      match: [
        'what size', 'which size', 'size chart', 'size guide', 'sizing', 'true to size', 'size up', 'size down', 'runs small', 'runs large',
        'run small', 'run large', 'runs big', 'too small', 'too big', 'too tight', 'too loose', 'too long', 'too short', 'bit tight', 'bit big',
        'bit small', 'bit large', 'usual size', 'my size', 'size s', 'size m', 'size l', 'size xs', 'size xl', 'in size', 'a size',
        'the size', 'sizes', 'inside leg', 'measurements', 'm or l', 's or m', 'fit perfectly',
        'fits perfectly', 'slim fit', 'fit well', 'fits well', 'the fit', 'bigger size', 'smaller size', 'wide fit', 'sleeves are',
        'too narrow', 'bust', 'size 9', 'size 10', 'size 11', 'size 12', 'size 38', 'size 40',
      ],
      weak: ['size', 'fit', 'small', 'large', 'tight', 'waist'],
      not: ['wrong size', 'size is wrong', 'sent the wrong size'],
    },
    material: {
      match: [
        'made of', 'made from', 'what material', 'what fabric', 'real leather', 'genuine leather', 'vegan leather', '100 %', 'pure wool',
        'care instructions', 'how to wash', 'how do i wash', 'way to wash', 'machine wash', 'hand wash', 'dishwasher safe', 'food safe',
        'non toxic', 'shrink', 'see through', 'a blend', 'treated with', 'or polyester', 'real wood', 'solid oak', 'is it real',
        'cotton', 'merino', 'linen is', 'the fabric', 'the material',
      ],
      weak: ['leather', 'wool', 'linen', 'fabric', 'material', 'polyester', 'silk', 'soy', 'paraffin', 'dye', 'wash', 'washed', 'oil', 'plastic', 'wood', 'veneer'],
      not: ['washed it twice', 'after one wash', 'after a single wash', 'after the first wash', 'cheap plastic', 'like plastic', 'plastic crap'],
    },
    compatibility: {
      match: [
        'compatible', 'compatibility', 'work with', 'works with', 'working with', 'fit the iphone', 'fit my phone', 'fit * iphone', 'fit * pixel',
        'fit * samsung', 'fit * galaxy', 'fit * tv', 'fit * macbook', 'fit * laptop', 'fit * model', 'older model', 'old model', 'with my old', 'with the older', 'work on',
      ],
      not: ['work with me', 'nothing to work with'],
    },
    installation: {
      match: [
        'install', 'installation', 'installing', 'set up', 'setup', 'assemble', 'assembly', 'put together', 'put it together', 'mount',
        'mounting', 'wall plugs', 'pair the', 'pairing', 'connect to wifi', "won't connect", 'reset the', 'instructions', 'set the timer',
        'how do i set', 'flatpack', ],
    },
    delivery_time: {
      match: [
        'how long does shipping', 'how long does delivery', 'how long does it take', 'how long would it take', 'how long is shipping',
        'how long is delivery', 'how long does the shipping', 'delivery time', 'shipping time', 'arrive by', 'arrive before', 'get here by',
        'before christmas', 'in time for', 'by friday', 'before the', 'deliver on', 'shipping to', 'delivery to',
        'would it ship', 'slower than', 'arrived quickly', 'quick delivery', 'fast delivery', 'speedy delivery',
        'how long * take', 'how long * delivery', 'how long * shipping',
      ],
      presale: ['when would it', 'when will it ship', 'ship to'],
      not: ['before it ships', 'before it ship', 'before the weekend', 'for my wedding'],
    },
    payment: {
      match: [
        'pay with', 'pay by', 'pay in', 'pay for', 'payment', 'paypal', 'klarna', 'afterpay', 'apple pay', 'google pay', 'bank transfer',
        'installments', 'instalments', 'declined', 'charged twice', 'double charge', 'charged my card twice', 'two pending', 'gift card',
        'bancontact', 'enter my card', 'accept', 'checkout', 'pay later', 'buy now pay later',
      ],
      not: [
        'dispute * paypal', 'paypal dispute', 'paypal claim', 'klarna dispute', 'reverse the payment', 'accept the', 'pay for return',
        'pay for the return', 'pay shipping', 'pay for shipping', 'try to check out', 'paid for', 'check out',
      ],
    },
    discount_code: {
      match: [
        'discount code', 'discount', 'promo code', 'coupon', 'voucher', 'code', 'student discount', '% off', 'percent off', 'codes',
      ],
      not: ['reason code', 'zip code', 'post code', 'postal code', 'discount for quantity', 'quantity discount', 'bulk discount', 'wholesale pricing'],
    },
    return_policy: {
      match: [
        'return policy', 'refund policy', 'returns policy', 'return window', 'how long do i have to return', 'return postage', 'return shipping',
        'free returns', 'return them free', 'pay for the return', 'pay for return', 'gift receipt', 'store credit', 'if i return',
        'return it if', 'exchange for free', 'without a receipt', 'within the return', 'who pays',
      ],
      presale: ['can i return', 'can you return', 'returns', 'exchange it', 'can i exchange'],
    },
    stock: {
      match: [
        'in stock', 'out of stock', 'back in stock', 'restock', 'restocking', 'sold out', 'available in', 'come in', 'be back', 'come back',
        'pre order', 'preorder', 'do you stock', 'ever stock', 'getting more', 'get more', 'back?', 'available', 'availability', 'reorder',
      ],
      not: ['come back to', 'back to me', 'come in handy', 'came in'],
    },
    order_status: {
      match: [
        'where is my order', "where's my order", 'where is my parcel', 'where is my package', 'where is it', 'has it shipped', 'shipped yet',
        'has my order shipped', 'been shipped', 'been sent', 'sent yet', 'been posted', 'been dispatched', 'be dispatched', 'dispatched',
        'tracking number', 'tracking link', 'track my', 'shipping confirmation', 'shipping email', 'status of my order', 'order status',
        'any update', 'any news', 'update on', 'when will it arrive', 'when will my order', 'on its way', 'go out', 'has shipped', 'did my order',
        'delivery date', 'when will that arrive', 'has been sent', 'received their order', 'label created', 'check the status', 'when it ships',
        'will it ship', 'ship yet', 'has it been sent', 'any idea when',
      ],
      aftersale: ['when will it ship', 'when will my', 'when will they'],
      not: ['tracking hasn\'t moved', 'tracking still says', 'tracking shows', 'tracking says', 'tracking hasn\'t updated', 'tracking still'],
    },
    shipping_delay: {
      match: [
        'late', 'delayed', 'delay', 'still waiting', 'still not arrived', "hasn't arrived", 'not arrived', 'still nothing', 'and nothing',
        'still no package', 'still no parcel', 'taking so long', 'supposed to arrive', 'was due', 'stuck', 'customs', "hasn't moved",
        "hasn't updated", 'not updated', 'still not delivered', 'not delivered', 'never arrived', 'took forever', 'took almost a month',
        'still hasn\'t', 'still says', 'in transit', 'weeks for delivery', 'waiting on my order', 'still waiting on', 'waiting forever',
        'estimated delivery was', 'still no', "hasn't shipped", 'not shipped', 'it\'s now', 'days ago', 'weeks ago and',
        'weeks and', 'delivery window', 'still not here', 'is it lost', 'lost', 'no package', 'took a month', 'slow delivery',
      ],
      weak: ['weeks', 'waiting', 'still', 'investigation'],
      not: ['an hour ago'],
    },
    damaged: {
      match: [
        'damaged', 'damage', 'broken', 'broke', 'arrived broken', 'cracked', 'crack', 'chip', 'chipped', 'shattered', 'smashed', 'dented',
        'scratch', 'scratched', 'in pieces', 'crushed', 'snapped', 'soaked', 'ruined', 'stain', 'dent', 'glass all over', 'came off',
      ],
      not: ['broke the', 'chip in', 'no damage'],
      negatable: true,
    },
    missing_item: {
      match: [
        'missing', "wasn't in", 'was not in', "weren't in", 'not in the box', 'not in the parcel', 'without the',
        'marked delivered', 'says delivered', 'was delivered', 'nothing here', 'is missing', 'are missing', 'not in it', 'wasn\'t in it',
        'not received', 'never received',
      ],
      not: ['what am i missing', 'missing out'],
    },
    wrong_item: {
      match: [
        'wrong item', 'wrong colour', 'wrong color', 'received the wrong', 'sent the wrong', 'sent me the wrong', 'got the wrong', 'wrong one',
        'wrong ones', 'not what i ordered', 'different product', 'mix up', 'mixup', 'instead of', 'ordered * and received', 'ordered * and got',
        'ordered * but got', 'ordered * got', 'ordered * received', 'box says', 'tag says', 'wrong size',
        'got sent the wrong', 'completely different',
      ],
      not: ['i ordered the wrong', 'ordered the wrong', 'ordered by mistake', 'i ordered three', 'i ordered on', 'i ordered last', 'i ordered a few'],
    },
    exchange: {
      match: [
        'exchange', 'swap', 'replacement', 'send another', 'send a new', 'send me a new', 'a new one', 'another one', 'send the right',
        'send the correct', 'send me the correct', 'replace it', 'replace them', 'replace the', 'send it again', 'new pair',
      ],
      presale: [],
      not: ['exchange for free', 'replaced it', 'exchange it without', 'exchange or'],
      negatable: true,
    },
    return_request: {
      match: [
        '=return', 'start a return', 'how do i return', 'want to return', 'like to return', 'need to return', 'send back', 'send it back',
        'send them back', 'return the', 'return it', 'return them', 'return this', 'send back the', 'returning', 'return request',
        'return label', 'print a label', 'still return',
      ],
      not: [
        'return policy', 'return window', 'return postage', 'return shipping', 'free returns', 'if i return', 'return it if', 'return them free',
        'can you return', 'pay for return', 'returning it', 'returned', 'return these', 'i\'ll return', 'within the return', 'have to return',

      ],
      negatable: true,
    },
    refund: {
      match: [
        'refund', 'refunds', 'refunded', 'money back', 'reimburse', 'reimbursement', 'my money', 'get my money', 'refund me', 'partial refund',
        'full refund', 'pay me back', 'give me my money',
      ],
      not: ['refund policy', 'store credit or a refund', 'refund if i return', 'credit or a refund'],
      negatable: true,
    },
    quality: {
      match: [
        'quality', 'poor quality', 'cheap', 'defect', 'defective', 'faulty', 'stopped working', "doesn't work", 'not working', 'stops working',
        'broke after', 'fell apart', 'falling apart', 'coming apart', 'came apart', 'came off', 'coming off', 'peeling', 'faded', 'fading',
        'pilling', 'pilled', 'leak', 'leaks', 'leaking', 'wobbles', 'wobbly', 'crackles', 'crackling', 'chemical smell', 'strong smell', 'smell',
        'stale', 'uneven', 'stitching', 'seams', 'not as described', 'not as advertised', 'looks cheap', 'feels cheap', 'cheap copy', 'duller',
        'chipping', 'loose', 'veneer', 'bad batch', 'garbage', 'crap', 'junk', 'stopped charging', 'lasts about', 'lasts maybe', 'battery',
        'plating', 'stopped', 'smoking', 'safety hazard', 'is that a defect', 'broke within',
        'broke on', 'tore', 'ripped', 'rust', 'rusty', 'like plastic', 'waste of money', 'worst purchase',
      ],
      not: ['quality is insane', 'quality is always', 'great quality', 'the quality of the', 'nice quality', 'quality control',
        'love the quality', 'loves the quality'],
    },
    cancel: {
      match: ['=cancel', 'cancel my', 'cancel the', 'please cancel', 'cancel it', 'cancel order', 'cancellation', 'changed my mind', 'cancel and'],
      not: ['cancelled but', 'was cancelled'],
      negatable: true,
    },
    address_change: {
      match: [
        'change the address', 'change address', 'change my address', 'change delivery address', 'change the delivery address', 'change the shipping address',
        'update the address', 'update it', 'wrong address', 'old address', 'new address', 'new one is', 'ship to my', 'send it to my',
        'deliver to my', 'instead :', 'moved house', 'address to', 'change it to',
        'my office instead', 'address instead', 'work address',
      ],
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
        'rude', 'misleading', 'scam', 'real person', 'useless', 'a joke',
        'ridiculous', 'zero communication', "don't order from here", 'avoid', "don't bother", 'never again', 'someone in charge', 'promised',
        'how you treat', 'someone senior', 'emails ignored', 'no one picked up', 'nobody picked up', 'nobody answered', 'customer service were',
        'still waiting for someone', 'waiting for someone to reply', 'nobody warned', 'unacceptable', 'frustrating experience', 'great customer service', 'great service', 'consumer protection', 'just ignore',
      ],
      weak: ['customer service', 'support team', 'your support', 'reply', 'answer', 'emails'],
      not: ['customer service is amazing', 'thanks for sorting', 'actually answers', 'great service!'],
    },
    praise: {
      match: [
        'love', 'loved', 'loves', 'amazing', 'perfect', 'perfectly', 'gorgeous', 'beautiful', 'beautifully', 'obsessed', '10 / 10', 'best',
        'recommend', 'excellent', 'fantastic', 'above and beyond', 'lovely', 'well done', 'great service', 'so cute', 'spot on', 'thrilled',
        'worth every penny', 'thank you', 'thanks so much', 'really helpful', 'comfy', 'soft', 'pretty', 'great gift', 'good product',
        'would buy again', 'will definitely order again', 'order again', 'even better', 'nicer', 'cute', 'great', 'impressed', 'happy',
        '😍', '❤️', '❤', '🥰', '🙌', '💛', '💕', '✨', 'wow',
      ],
      weak: ['thanks', 'nice', 'good', 'fine', 'quick', 'quickly', 'helpful'],
      not: ['would love to', "i'd love to", 'not impressed', 'wonderful', 'best way',
        'best regards', 'not the best', 'great,', 'perfect fit', 'cute packaging'],
    },
  },
  negations: ["don't", 'dont', 'do not', 'not', 'no', 'never', "didn't", "doesn't", "won't", 'without', 'nor', 'no need'],
  orderContext: [
    'my order', 'order #', 'order number', 'ordered', 'i bought', 'bought', 'received', 'arrived', 'my parcel', 'my package', 'delivered',
    'my item', 'purchase', 'purchased', 'i got', 'got it', 'came', 'shipped',
  ],
  threats: {
    negative_review: [
      'review', 'reviews', '1 star', 'one star', '1-star', 'trustpilot', 'negative feedback', 'bad feedback', 'leave feedback', 'warn others',
      'others know', 'everyone know', 'google review',
    ],
    public_post: [
      'instagram', 'facebook', 'tiktok', 'twitter', 'reddit', 'my story', 'social media', 'my followers', 'go public', 'post about',
      'posting about', 'people should know', 'tell everyone', 'telling all', 'tell all my', 'share this', 'youtube',
    ],
    chargeback: [
      'chargeback', 'charge back', 'dispute', 'my bank', 'credit card company', 'reverse the payment', 'reverse the charge', 'paypal claim',
      'a-to-z', 'a to z', 'bank', 'card company',
    ],
    legal: [
      'lawyer', 'legal action', 'legal', 'sue', 'suing', 'court', 'solicitor', 'attorney', 'consumer protection', 'trading standards',
      'small claims', 'ombudsman', 'report you to', 'reporting you to',
    ],
  },
  escalationRequest: [
    'manager', 'supervisor', 'escalate', 'escalated', 'escalation', 'formal complaint', 'make a complaint', 'file a complaint', 'want to complain',
    'someone senior', 'someone in charge', 'speak to someone', 'real person', 'head of', 'your boss',
  ],
  kol: [
    'influencer', 'content creator', 'creator', 'blogger', 'vlogger', 'youtuber', 'tiktoker', 'collab', 'collaboration', 'partnership',
    'pr package', 'my channel', 'k followers', 'k subs', 'k subscribers', 'followers on', 'create content', 'ugc',
  ],
  bulk: ['wholesale', 'bulk', 'in bulk', 'bulk order', 'bulk orders', 'corporate gifts', 'quantity discount', 'discount for quantity', 'for our shop', 'a quote'],
  purchase: ['order', 'buy', 'need', 'purchase', 'looking for', 'reorder', 'want', 'get', 'of your', 'order of', 'around'],
  notQuantity: [
    'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'hour', 'hours', 'minute', 'minutes', 'min', 'k', 'followers', 'subs',
    'subscribers', '%', 'percent', 'cm', 'mm', 'kg', 'inch', 'euro', 'euros', 'dollar', 'dollars', 'degrees', '€', '$', '£',
  ],
  usage: [
    'after', 'use', 'used', 'using', 'wear', 'wore', 'wearing', 'wash', 'washed', 'already', 'within', 'first time', 'day one', 'second use',
    'normal use', 'stopped', 'week', 'weeks', 'month', 'months',
  ],
  arrival: [
    'arrived', 'arrive', 'came with', 'came in', 'delivered', 'delivery', 'transit', 'box', 'parcel', 'package', 'unpacked', 'received',
    'courier', 'packaging', 'opened', 'in the post',
  ],
  furious: [
    'wtf', 'crap', 'garbage', 'shit', 'fuck', 'fucking', 'bullshit', 'scam', 'scammers', 'a joke', 'joke of a', 'you people', 'ridiculous',
    'useless', 'pathetic', 'disgusting', 'disgrace', 'absolutely unacceptable', 'worst ever', 'worst purchase', 'idiots', 'liars', 'thieves',
    'never again', 'now !', 'rip off', 'ripoff',
  ],
  upset: [
    'disappointed', 'disappointing', 'frustrated', 'frustrating', 'upset', 'unacceptable', 'annoyed', 'annoying', 'seriously', 'not impressed',
    'still waiting', 'fed up', 'sick of', 'unhappy', 'angry', 'terrible', 'awful', 'horrible', 'worst', 'honestly', 'avoid', "don't bother",
    'not acceptable', 'really poor', 'waste', 'patient', 'ignored', 'nobody', 'no one',
  ],
  positive: [
    'love', 'loved', 'perfect', 'amazing', 'gorgeous', 'beautiful', 'lovely', 'obsessed', 'thrilled', 'excellent', 'fantastic', 'recommend',
    'thank you so much', 'thanks so much', 'above and beyond', 'well done', 'spot on', 'comfy', 'worth every penny', 'so cute', 'best',
    '😍', '❤️', '❤', '🥰', '🙌', '💛', '💕', '✨', '10 / 10', 'excited', 'lovely touch', 'even better',
  ],
  negative: [
    'broken', 'broke', 'damaged', 'cracked', 'missing', 'wrong', 'late', 'still waiting', 'never arrived', 'not arrived', 'disappointed',
    'refund', 'money back', 'chargeback', 'dispute', 'complaint', 'faded', 'leaks', 'cheap', 'stopped working', 'fell apart', 'pilled',
    'unacceptable', 'ridiculous', 'useless', 'ignored', 'no one replies', 'nobody', 'scam', 'terrible', 'worst', 'not impressed', 'declined',
    'invalid', "isn't working", 'isnt working', 'not working', "doesn't work", 'stuck', 'smashed', 'shattered', 'chipped', 'defective',
    'problem', 'issue', 'too small', 'too big', 'too tight', 'nothing', 'no need', 'frustrating', 'charged twice', 'stale', '😢', '😭', '😕', '🙄',
    'lost', 'not received', 'delay', 'delayed', 'smell', 'wobbles', 'crackling', 'crackles', 'coming apart', 'stain', 'soaked', 'dented',
    '👏', 'mistake', 'misleading', 'rude', 'hazard', 'legal', 'lawyer', 'chemical', 'not real', "don't believe", 'urgently',
  ],
  paid: ['paid', 'spent', 'charged', 'cost', 'costs', 'bought', 'for a', 'promised a refund of', 'refund of', 'order of', 'worth'],
};
