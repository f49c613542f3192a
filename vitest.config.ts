// `npx vitest run` from the project folder runs the suite exactly as `npm test` does.
export { default } from './test/vitest.config';
