import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_JUDGEMENT_CONFIG } from '../../src/config/judgement';
import { parseCorpus } from '../../src/domain/judgement/corpus';
import { inputOf } from '../../src/domain/judgement/evaluate';
import { judge } from '../../src/domain/judgement/judge';
import { loadLanguageDetector } from '../../src/domain/judgement/language';
import type { JudgementInput } from '../../src/domain/judgement/types';
import { judgementPaths, loadJudgement } from '../../src/services/judgement-model';

// `npm run bench judgement`: the time to judge one message (the model, the extractors and the
// rules together) over the blind set's real-sized messages, and over the worst inputs the API
// accepts (a 200,000-character body, one 20,000-character word, 5,000 emoji). Targets: median
// ≤ 1 ms, any input ≤ 20 ms. Also the model's load time and the process's memory.

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

export async function benchJudgement(): Promise<void> {
  await loadLanguageDetector();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const ctx = loadJudgement();
  const loadMs = performance.now() - t0;
  const dir = judgementPaths.blind();
  const inputs = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => parseCorpus(readFileSync(path.join(dir, f), 'utf8'), f).records.map(inputOf));
  // Warm the code paths before measuring.
  for (const input of inputs.slice(0, 50)) judge(input, DEFAULT_JUDGEMENT_CONFIG, ctx);
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const input of inputs) {
      const s = performance.now();
      judge(input, DEFAULT_JUDGEMENT_CONFIG, ctx);
      times.push(performance.now() - s);
    }
  }
  const base = (body: string): JudgementInput => ({ source: 'email', kind: 'ticket', subject: 'x', body, customer: { orderCount: null, tags: [] } });
  const worst: [string, JudgementInput][] = [
    ['200,000-character body', base('My order is late and I want a refund. '.repeat(5_300).slice(0, 200_000))],
    ['one 20,000-character word', base('a'.repeat(20_000))],
    ['5,000 emoji', base('😡'.repeat(5_000))],
    ['20,000 digits', base('1'.repeat(20_000))],
    ['10,000 numbers', base('12 '.repeat(10_000))],
  ];
  console.log('judgement (npm run bench judgement)');
  console.log(`  model: ${ctx.model.featureCount} features, loaded in ${loadMs.toFixed(0)} ms (${ctx.source})`);
  console.log(
    `  one message, ${inputs.length} blind-set messages × 3: median ${quantile(times, 0.5).toFixed(3)} ms, p99 ${quantile(times, 0.99).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms  (target: median ≤ 1 ms)`,
  );
  for (const [name, input] of worst) {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      judge(input, DEFAULT_JUDGEMENT_CONFIG, ctx);
      samples.push(performance.now() - s);
    }
    console.log(
      `  ${name.padEnd(26)} min ${Math.min(...samples).toFixed(2)} ms, median ${quantile(samples, 0.5).toFixed(2)} ms, max ${Math.max(...samples).toFixed(2)} ms  (target: ≤ 20 ms)`,
    );
  }
  const rss = process.memoryUsage().rss;
  console.log(`  resident memory: ${(rss / 1e6).toFixed(0)} MB (the model and lexicon add about ${((rss - rssBefore) / 1e6).toFixed(0)} MB)`);
}
