import type { Threat } from '../types';

// Phrase syntax, compiled by ../match.ts with the message language's stemmer:
//   words      each word is stemmed, so "refund" also matches "refunds", "refunded"
//   *          a gap of up to three words inside one sentence
//   word*      a word starting with these letters (accents ignored): "rückerstatt*"
//   =word      this exact word, not stemmed: "=return" does not match "returned"

export interface TagRule {
  /** One hit suggests the tag. */
  match?: string[];
  /** Half weight: two different hits, or one weak and one strong, suggest the tag. */
  weak?: string[];
  /** Count only when the message is pre-sales (no order in sight). */
  presale?: string[];
  /** Count only when there is an order (after-sales, reviews, disputes). */
  aftersale?: string[];
  /** A hit that lies inside a match of one of these is ignored ("refund policy" is not a refund). */
  not?: string[];
  /** A negation word just before a hit cancels it ("I don't want a refund"). */
  negatable?: boolean;
}

export interface Lexicon {
  tags: Partial<Record<string, TagRule>>;
  /** Words that cancel a negatable hit when they occur up to four words before it. */
  negations: string[];
  /** Signs that the customer already ordered (switches presale/aftersale phrases). */
  orderContext: string[];
  threats: Record<Threat, string[]>;
  /** Threat phrases that are unhappy by themselves ("a 1-star review"); the others need a negative message. */
  threatsAlways: Partial<Record<Threat, string[]>>;
  /** The customer asks for a manager, a supervisor or a formal complaint. */
  escalationRequest: string[];
  /** The customer says they are an influencer, creator or want a collaboration. */
  kol: string[];
  /** Wholesale or bulk asks without a number. */
  bulk: string[];
  /** Verbs that make a following number a quantity: "need 200 tote bags". */
  purchase: string[];
  /** Words that make a following number something else: "80k followers", "2 weeks". */
  notQuantity: string[];
  /** Damage words are `damaged` on arrival, `quality` when these appear in the sentence. */
  usage: string[];
  /** …unless one of these shows it was so on arrival. */
  arrival: string[];
  /** Insults, swearing and rage: make the message furious. */
  furious: string[];
  /** Frustration short of rage: make a negative message upset. */
  upset: string[];
  /** Extra sentiment cues on top of the library lexicon (shop talk it does not score). */
  positive: string[];
  negative: string[];
  /** Amounts in the text count as the order value only after words like these. */
  paid: string[];
}
