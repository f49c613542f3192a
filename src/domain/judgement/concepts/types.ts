import { JUDGEMENT_LANGUAGES } from '../types';

// A concept: words and phrases that say one thing, in each of the seven languages Trustloop
// reads. The model gets one feature per concept found, the same in every language, so what it
// learns about "money back" in Spanish helps it in Dutch.
//
// Entries are written lower case without accents (they are matched on folded text):
//   "talla"      the exact word
//   "reembols*"  any word starting with it (reembolso, reembolsar, reembolsen)
//   "too small"  consecutive words, each matched as above ("money back", "no llego*")

export const CONCEPT_LANGUAGES = JUDGEMENT_LANGUAGES;
export type ConceptLanguage = (typeof CONCEPT_LANGUAGES)[number];

export type ConceptTable = Record<string, Record<ConceptLanguage, readonly string[]>>;
