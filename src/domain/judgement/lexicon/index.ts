import type { Threat } from '../types';
import { compilePhrases, type Phrase } from '../match';
import type { StemLanguage } from '../text';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import type { Lexicon, TagRule } from './types';

export const LEXICONS: Record<StemLanguage, Lexicon> = { en, es, de, fr };

export interface CompiledTagRule {
  match: Phrase[];
  weak: Phrase[];
  presale: Phrase[];
  aftersale: Phrase[];
  not: Phrase[];
  negatable: boolean;
}

export interface CompiledLexicon {
  language: StemLanguage;
  tags: Map<string, CompiledTagRule>;
  negations: Phrase[];
  orderContext: Phrase[];
  threats: Map<Threat, Phrase[]>;
  threatsAlways: Map<Threat, Phrase[]>;
  escalationRequest: Phrase[];
  kol: Phrase[];
  bulk: Phrase[];
  purchase: Phrase[];
  notQuantity: Phrase[];
  usage: Phrase[];
  arrival: Phrase[];
  furious: Phrase[];
  upset: Phrase[];
  positive: Phrase[];
  negative: Phrase[];
  paid: Phrase[];
}

export function compileTagRule(rule: TagRule, language: StemLanguage): CompiledTagRule {
  return {
    match: compilePhrases(rule.match, language),
    weak: compilePhrases(rule.weak, language),
    presale: compilePhrases(rule.presale, language),
    aftersale: compilePhrases(rule.aftersale, language),
    not: compilePhrases(rule.not, language),
    negatable: rule.negatable ?? false,
  };
}

function compile(language: StemLanguage): CompiledLexicon {
  const lx = LEXICONS[language];
  const c = (list: readonly string[]) => compilePhrases(list, language);
  const tags = new Map<string, CompiledTagRule>();
  for (const [id, rule] of Object.entries(lx.tags)) if (rule) tags.set(id, compileTagRule(rule, language));
  const threats = new Map<Threat, Phrase[]>();
  for (const [t, list] of Object.entries(lx.threats)) threats.set(t as Threat, c(list));
  const threatsAlways = new Map<Threat, Phrase[]>();
  for (const [t, list] of Object.entries(lx.threatsAlways)) threatsAlways.set(t as Threat, c(list));
  return {
    language,
    tags,
    negations: c(lx.negations),
    orderContext: c(lx.orderContext),
    threats,
    threatsAlways,
    escalationRequest: c(lx.escalationRequest),
    kol: c(lx.kol),
    bulk: c(lx.bulk),
    purchase: c(lx.purchase),
    notQuantity: c(lx.notQuantity),
    usage: c(lx.usage),
    arrival: c(lx.arrival),
    furious: c(lx.furious),
    upset: c(lx.upset),
    positive: c(lx.positive),
    negative: c(lx.negative),
    paid: c(lx.paid),
  };
}

const cache = new Map<StemLanguage, CompiledLexicon>();

/** Compiled once per language and kept: the tables are constants. */
export function lexiconFor(language: StemLanguage): CompiledLexicon {
  let lx = cache.get(language);
  if (!lx) {
    lx = compile(language);
    cache.set(language, lx);
  }
  return lx;
}
