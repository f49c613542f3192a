import type { ReplyLanguage } from '../../review-reply';
import type { ReplyPhrases } from '../types';
import { en } from './en';

/** The phrase book per language Trustloop writes replies in. */
export const PHRASES: Partial<Record<ReplyLanguage, ReplyPhrases>> & { en: ReplyPhrases } = { en };
