export { decide, judge, read, type JudgeContext, type Reading } from './judge';
export { extractAudience, extractMoney, extractOrderCount, extractQuantity } from './extractors';
export { detectLanguage, loadLanguageDetector } from './language';
export * from './types';
