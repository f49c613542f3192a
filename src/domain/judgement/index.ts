export { judge } from './judge';
export { parseAmounts } from './amounts';
export { detectLanguage } from './language';
export * from './types';
