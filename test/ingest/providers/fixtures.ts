import { readFileSync } from 'node:fs';

const dir = new URL('../../fixtures/', import.meta.url);

/** The exact bytes of a fixture, as a provider would send them (signatures are over these bytes). */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(name, dir));
}

/** Runs fn and returns what it threw, failing the test when it throws nothing. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to throw');
}
