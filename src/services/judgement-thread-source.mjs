// The judging thread when Trustloop runs from its TypeScript source (tests, `npm run dev`): tsx is
// registered in the thread itself, then the entry is read. The bundle starts dist/judgement-thread.js.
import { register } from 'tsx/esm/api';

register();
await import('./judgement-thread-entry.ts');
