import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order files start in. Once vitest has timed every file (its results cache) it starts the
// longest first, and that is kept. On a fresh clone it has no times and would start the largest
// files first, which put the files that start Trustloop as a process of their own (tens of
// seconds, much of it waiting on the process or Slack's pacing) among the last, running alone at
// the end while the other workers sat idle. Without times, those go first, then the files that
// start the app in the test's process, each group largest first.
export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (f: TestSpecification) => `${f.project.name}:${path.relative(this.ctx.config.root, f.moduleId)}`;
    if (files.every((f) => this.ctx.cache.getFileTestResults(key(f)))) return super.sort(files);
    const weight = new Map(
      files.map((f) => {
        const source = readFileSync(f.moduleId, 'utf8');
        const group = /\b(appArgs|cliArgs|spawn|execFile)\(/.test(source) ? 2 : /\b(startHarness|startTrustloop|startSandbox)\(/.test(source) ? 1 : 0;
        return [f, group * 1e9 + source.length];
      }),
    );
    return [...files].sort((a, b) => weight.get(b)! - weight.get(a)!);
  }
}
