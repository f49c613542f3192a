// The judgement engine's input and output. Both are plain JSON so a decision can be stored
// beside the case and compared with the tags staff finally chose.

export const CASE_SOURCES = ['email', 'live_chat', 'social_dm', 'comment', 'marketplace', 'other', 'review', 'dispute'] as const;
export type JudgementSource = (typeof CASE_SOURCES)[number];

/** The languages the shipped model was trained on (and the corpus is written in). */
export const JUDGEMENT_LANGUAGES = ['en', 'es', 'de', 'fr', 'it', 'nl', 'pt'] as const;

export interface JudgementInput {
  subject?: string | null;
  body: string;
  /** email | live_chat | social_dm | comment | marketplace | other | review | dispute */
  source: string;
  kind: 'ticket' | 'review' | 'dispute';
  customer: { orderCount?: number | null; tags: string[] };
  /** `amount` is a decimal string such as "349.00"; `itemCount` is the total quantity. */
  order?: { amount?: string | null; currency?: string | null; itemCount?: number | null } | null;
  /** Star rating of a review, 1–5. */
  rating?: number | null;
  /**
   * Cases tagged damaged or quality on the same product within the configured window, not
   * counting this one. The caller counts them from the database; the engine stays pure.
   */
  recentSimilarQualityIssues?: number | null;
}

export const THREATS = ['negative_review', 'public_post', 'chargeback', 'legal'] as const;
export type Threat = (typeof THREATS)[number];

export type Sentiment = 'negative' | 'neutral' | 'positive';
export type Intensity = 'calm' | 'upset' | 'furious';

export const REASON_CODES = [
  'refund_request',
  'chargeback',
  'complaint_escalation',
  'high_value',
  'repeat_customer',
  'kol',
  'bulk_purchase',
  'quality_cluster',
  'review_threat',
  'public_post_threat',
  'legal_threat',
  'low_rating',
  'public_complaint',
  'furious',
  'language',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Reason {
  code: ReasonCode;
  /** Short text for the Slack card. Built from our own words and numbers, never customer text. */
  label: string;
}

export const AUTOMATABLE_TOPICS = [
  'order_tracking',
  'delivery_estimate',
  'size_chart',
  'materials_care',
  'basic_usage',
  'return_policy',
  'payment_methods',
  'discount_code_rules',
  'back_in_stock',
] as const;
export type AutomatableTopic = (typeof AUTOMATABLE_TOPICS)[number];

export interface Money {
  /** Decimal string with two places, e.g. "1299.99". */
  value: string;
  /** ISO 4217 code. */
  currency: string;
}

export interface Judgement {
  /** Catalogue ids, sorted, never empty ('other' when nothing else fits). */
  suggestedTags: string[];
  sentiment: Sentiment;
  /** Sentiment score, roughly −5…+5; below zero is negative. Rounded to 2 places. */
  score: number;
  intensity: Intensity;
  threats: Threat[];
  /** ISO 639-1, or 'und' when the text is too short to tell. */
  language: string;
  languageSupported: boolean;
  mustEscalate: boolean;
  reasons: Reason[];
  automatable: boolean;
  automatableTopic?: AutomatableTopic;
  amounts: Money[];
  priority: 'raise' | null;
  /** Spam, a pitch or a follower-selling ad: tagged other, never escalated. */
  spam?: boolean;
}
