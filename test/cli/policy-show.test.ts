import '../support/suite';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { childEnv, cliArgs } from '../support/child';

// `trustloop policy show`: the store's promises from the workspace config, in plain sentences,
// saying where the policy is silent (replies promise nothing there).

const root = path.resolve(import.meta.dirname, '../..');

describe('trustloop policy show', () => {
  test('prints the registry in plain words; a bad policy names the field', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tl-policy-'));
    const file = path.join(dir, 'trustloop.yml');
    const base = [
      'store: { name: Acme Linen, timezone: Europe/Berlin }',
      'channels: { default: C0SUPPORT1, escalation: C0ESCALAT1 }',
      'team: { members: [U0AGENT01] }',
    ];
    writeFileSync(
      file,
      [
        ...base,
        'policy:',
        '  contact: support@acme.example',
        '  delivery:',
        '    - { countries: [DE], business_days: [2, 4] }',
        "    - { countries: ['*'], business_days: [5, 10] }",
        '  refunds: { business_days: [5, 10], to: original_payment }',
        '  returns: { window_days: 30, return_shipping: customer }',
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'policy', 'show', file], { cwd: root, env: childEnv() });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('Customers reach the team at: support@acme.example.');
    expect(lines).toContain('Refunds: 5 to 10 business days, to the original payment method.');
    expect(lines.some((l) => /^Delivery, \w+, to DE: 2 to 4 business days\.$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Delivery, \w+, to everywhere else: 5 to 10 business days\.$/.test(l))).toBe(true);
    expect(lines).toContain('Exchanges: not written down.');

    writeFileSync(file, [...base, 'policy:', '  refunds: { business_days: [10, 5] }'].join('\n'));
    const bad = await promisify(execFile)(process.execPath, [...(await cliArgs()), 'policy', 'show', file], { cwd: root, env: childEnv() }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toContain('policy.refunds.business_days');
  });
});
