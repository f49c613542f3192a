import type { z } from 'zod';

// A store's technical person reads these, not a developer: every problem a schema did not word
// itself becomes a plain sentence ("is missing", "must be a list") instead of validator output
// ("Invalid input: expected array, received undefined"). Values are never echoed here, because a
// setting may be a secret; a schema that knows a value is harmless quotes it in its own message.

const NOUNS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of settings (key: value lines)',
  record: 'a group of settings (key: value lines)',
  tuple: 'a list',
  date: 'a date',
  null: 'empty',
};

function what(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a group of settings';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return 'text';
}

function many(n: number | bigint, one: string, other = `${one}s`): string {
  return `${n} ${n === 1 || n === 1n ? one : other}`;
}

/**
 * A per-parse error map: schema-level messages win over it, so it only words what a schema left
 * to zod's defaults. `missing` says what to do about a required value that is absent.
 */
export function plainIssues(missing: string): z.core.$ZodErrorMap {
  return (issue) => {
    switch (issue.code) {
      case 'invalid_type': {
        if (issue.input === undefined) return missing;
        const expected = NOUNS[issue.expected] ?? issue.expected;
        return `must be ${expected}, not ${what(issue.input)}`;
      }
      case 'invalid_value':
        return issue.values.length === 1
          ? `must be ${JSON.stringify(issue.values[0])}`
          : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      case 'too_small':
        if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `needs at least ${many(issue.minimum, 'character')}`;
        if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${many(issue.minimum, 'entry', 'entries')}`;
        return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${issue.minimum}`;
      case 'too_big':
        if (issue.origin === 'string') return `must be at most ${many(issue.maximum, 'character')}`;
        if (issue.origin === 'array' || issue.origin === 'set') return `may list at most ${many(issue.maximum, 'entry', 'entries')}`;
        return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${issue.maximum}`;
      case 'invalid_format':
        return issue.format === 'url' ? 'must be a URL such as https://example.com/' : `is not a valid ${issue.format}`;
      case 'invalid_union':
        return 'is not in a form Trustloop understands: compare it with the example in the README';
      case 'not_multiple_of':
        return `must be a multiple of ${issue.divisor}`;
      default:
        return undefined;
    }
  };
}
