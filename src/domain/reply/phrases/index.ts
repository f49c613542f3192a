import type { ReplyLanguage } from '../../review-reply';
import type { ReplyPhrases } from '../types';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import { nl } from './nl';
import { pt } from './pt';

/** The phrase book per language Trustloop writes replies in. */
export const PHRASES: Partial<Record<ReplyLanguage, ReplyPhrases>> & { en: ReplyPhrases } = { en, es, de, fr, it, nl, pt };
