import '../support/suite';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { childEnv, cliArgs } from '../support/child';

// The README's table of operator commands lists every command the CLI knows, as its usage says.

const root = path.resolve(import.meta.dirname, '../..');

test('every `trustloop` command in the usage is in the README\'s operator commands table', { timeout: 120_000 }, async () => {
  const usage = await promisify(execFile)(process.execPath, [...(await cliArgs())], { cwd: root, env: childEnv() }).then(
    () => '',
    (err: { code: number; stderr: string }) => {
      expect(err.code).toBe(2);
      return err.stderr;
    },
  );
  // "trustloop outbox retry <id> …" → "outbox retry": the words before the first argument or flag.
  const commands = [...usage.matchAll(/trustloop ((?:[a-z]+)(?: [a-z]+)*)/g)].map((m) => m[1]!);
  expect(commands.length).toBeGreaterThanOrEqual(10);
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Operator commands'), readme.indexOf('\n### ', readme.indexOf('### Operator commands') + 5));
  const cells = [...section.matchAll(/^\| (.+?) \|/gm)].map((m) => m[1]!);
  for (const command of commands) expect(cells.some((cell) => cell.includes(`\`${command}`) || cell.includes(`/ \`${command}`)), command).toBe(true);
});
