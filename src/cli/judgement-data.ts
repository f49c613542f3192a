import { readFileSync } from 'node:fs';
import { parseCorpus } from '../domain/judgement/corpus';

// `npx tsx src/cli/judgement-data.ts check <file.jsonl>...` (or `src/cli/judgement.ts check`): checks
// labelled message files against the labelling policy (docs/judgement/labelling-policy.md) and
// prints a summary of each file.

export function checkFiles(files: string[]): number {
  if (files.length === 0) {
    console.error('usage: judgement-data check <file.jsonl>...');
    return 2;
  }
  let bad = 0;
  const ids = new Map<string, string>();
  for (const file of files) {
    const { records, problems } = parseCorpus(readFileSync(file, 'utf8'), file);
    for (const r of records) {
      const seen = ids.get(r.id);
      if (seen) problems.push(`${file} (${r.id}): id already used in ${seen}`);
      ids.set(r.id, file);
    }
    for (const p of problems) console.log(p);
    bad += problems.length;
    const count = (f: (r: (typeof records)[number]) => string[]) => {
      const m = new Map<string, number>();
      for (const r of records) for (const k of f(r)) m.set(k, (m.get(k) ?? 0) + 1);
      return [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    };
    console.log(`${file}: ${records.length} records, ${problems.length} problems`);
    console.log(`  lang: ${count((r) => [r.lang])}`);
    console.log(`  channel: ${count((r) => [r.channel])}`);
    console.log(`  tags: ${count((r) => r.labels.tags)}`);
    console.log(`  reasons: ${count((r) => r.labels.reasons)}`);
    console.log(`  sentiment: ${count((r) => [r.labels.sentiment])}`);
    console.log(`  escalate: ${count((r) => [String(r.labels.mustEscalate)])}; automatable: ${count((r) => [String(r.labels.automatable)])}; spam: ${count((r) => [String(r.labels.spam)])}`);
  }
  return bad === 0 ? 0 : 1;
}

const [cmd, ...files] = process.argv.slice(2);
if (cmd === 'check') process.exitCode = checkFiles(files);
