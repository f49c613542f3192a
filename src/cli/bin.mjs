#!/usr/bin/env node
// `npx trustloop …`: the operator commands, run from their TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./trustloop.ts');
