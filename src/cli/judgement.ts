import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_JUDGEMENT_CONFIG } from '../config/judgement';
import { conceptsFingerprint, defaultConcepts } from '../domain/judgement/concepts';
import { type CorpusRecord, parseCorpus } from '../domain/judgement/corpus';
import { fmt, inputOf, missedTargets, type Scored, scoreAll, type Scores } from '../domain/judgement/evaluate';
import { extractFacts } from '../domain/judgement/extractors';
import { extractFeatures } from '../domain/judgement/features';
import { detectLanguage, loadLanguageDetector } from '../domain/judgement/language';
import { BINARY_HEADS, SENTIMENTS, type Targets, targetsOf } from '../domain/judgement/heads';
import { decide, judge } from '../domain/judgement/judge';
import { JudgementModel } from '../domain/judgement/model';
import { DEFAULT_SETTINGS, fitJudgementModel, type TrainExample } from '../domain/judgement/train';
import { type Judgement, JUDGEMENT_LANGUAGES } from '../domain/judgement/types';
import type { Correction } from '../db/queries/judgement';
import { correctionTargets } from '../domain/judgement/heads';
import { judgementPaths, loadJudgement, readModel } from '../services/judgement-model';

// The judgement model's tooling:
//   npm run train                       train from the corpus, write the shipped model and its dev figures
//   npm run eval [-- --errors blind]    train / dev / blind figures per tag, reason, language and channel
//   npx tsx src/cli/judgement.ts check <files>   check labelled files against the labelling policy

export function readCorpus(dir: string): CorpusRecord[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const out: CorpusRecord[] = [];
  for (const f of files) {
    const { records, problems } = parseCorpus(readFileSync(path.join(dir, f), 'utf8'), f);
    if (problems.length > 0) throw new Error(`${f} breaks the labelling policy:\n${problems.slice(0, 10).join('\n')}`);
    out.push(...records);
  }
  return out;
}

export interface Labelled {
  id: string;
  group: string;
  input: ReturnType<typeof inputOf>;
  targets: Targets;
  /** Whether a person must handle it, when the label says (staff corrections often do not). */
  mustEscalate?: boolean;
}

export function examplesOf(items: readonly Labelled[]): TrainExample[] {
  const concepts = defaultConcepts();
  return items.map((x) => ({
    counts: extractFeatures({ subject: x.input.subject, body: x.input.body, source: x.input.source, kind: x.input.kind, rating: x.input.rating ?? null }, concepts),
    targets: x.targets,
    group: x.group,
  }));
}

export const fromCorpus = (r: CorpusRecord): Labelled => ({
  id: r.id,
  group: r.lang,
  input: inputOf(r),
  targets: targetsOf(r),
  mustEscalate: r.labels.mustEscalate,
});

function flatten(model: JudgementModel, counts: Map<number, number>): Float64Array {
  const out = model.predict(counts);
  return Float64Array.from([...BINARY_HEADS.map((h) => out.binary[h]!), ...SENTIMENTS.map((s) => out.sentiment[s])]);
}

export function dataHash(items: readonly Labelled[]): string {
  const h = createHash('sha256');
  for (const x of items) h.update(JSON.stringify([x.id, x.input, Array.from(x.targets.binary), x.targets.sentiment]));
  return h.digest('hex').slice(0, 16);
}

/** The must-escalate recall the thresholds are set for, on predictions for messages the model never saw. */
export const ESCALATION_RECALL_GOAL = 0.985;

/**
 * One threshold is chosen on all heads together: the "escalate" head's, which gives a person the
 * messages no single reason caught. It is set as high as it can be while the out-of-fold
 * must-escalate recall stays at the goal, so precision is lost only where recall needs it.
 */
export function tuneEscalation(items: readonly Labelled[], oof: readonly Float64Array[], thresholds: Record<string, number>, log: (s: string) => void) {
  const concepts = defaultConcepts();
  const s = BINARY_HEADS.length;
  const readings = items.map((x, i) => {
    const v = oof[i]!;
    const binary: Record<string, number> = {};
    BINARY_HEADS.forEach((h, j) => (binary[h] = v[j]!));
    const text = `${x.input.subject ?? ''}\n${x.input.body}`;
    return {
      out: { binary, sentiment: { negative: v[s]!, neutral: v[s + 1]!, positive: v[s + 2]! } },
      counts: extractFeatures({ subject: x.input.subject, body: x.input.body, source: x.input.source, kind: x.input.kind, rating: x.input.rating ?? null }, concepts),
      known: { facts: extractFacts(text), language: detectLanguage(text.slice(0, 4_000), DEFAULT_JUDGEMENT_CONFIG.languages) },
    };
  });
  // Records whose escalation is known (corrections may say nothing about it).
  const want = items.map((x) => ('mustEscalate' in x && typeof x.mustEscalate === 'boolean' ? x.mustEscalate : null));
  const score = (t: number) => {
    const th = { ...thresholds, escalate: t };
    let tp = 0;
    let fp = 0;
    let fn = 0;
    readings.forEach((r, i) => {
      const w = want[i];
      if (w === null || w === undefined) return;
      const got = decide(items[i]!.input, DEFAULT_JUDGEMENT_CONFIG, { ...r, thresholds: th }).mustEscalate;
      if (got && w) tp++;
      else if (got) fp++;
      else if (w) fn++;
    });
    return { recall: tp / Math.max(1, tp + fn), precision: tp / Math.max(1, tp + fp) };
  };
  let chosen = 0.05;
  for (let t = 0.95; t >= 0.05; t -= 0.01) {
    const r = score(t);
    if (r.recall >= ESCALATION_RECALL_GOAL) {
      chosen = Math.round(t * 100) / 100;
      log(`escalate threshold ${chosen}: out-of-fold must-escalate recall ${r.recall.toFixed(3)}, precision ${r.precision.toFixed(3)}`);
      break;
    }
  }
  return { ...thresholds, escalate: chosen };
}

/** Trains on the items; returns the model's bytes (gzipped) and the out-of-fold predictions by id. */
export function trainModel(items: readonly Labelled[], sources: Record<string, number>, log: (s: string) => void = () => {}) {
  const started = Date.now();
  const examples = examplesOf(items);
  log(`training on ${items.length} messages (${Object.entries(sources).map(([k, v]) => `${k} ${v}`).join(', ')})…`);
  const { parts, oof } = fitJudgementModel(examples, (p, e) => flatten(new JudgementModel(p), e.counts), {
    pruneBelow: 0.02,
    meta: {
      examples: sources,
      seed: DEFAULT_SETTINGS.seed,
      dataHash: dataHash(items),
      settings: { ...DEFAULT_SETTINGS, concepts: conceptsFingerprint(), folds: 5 },
    },
  });
  const model = new JudgementModel({ ...parts, thresholds: tuneEscalation(items, oof, parts.thresholds, log) });
  log(`trained in ${Math.round((Date.now() - started) / 1000)} s: ${model.featureCount} features`);
  const dev = { heads: [...BINARY_HEADS, ...SENTIMENTS], ids: items.map((x) => x.id), values: oof.map((v) => Array.from(v, (x) => Math.round(x * 1e4) / 1e4)) };
  return { model, bytes: gzipSync(model.serialise(), { level: 9 }), dev: gzipSync(JSON.stringify(dev), { level: 9 }) };
}

/** Judgements for the dev figures: each message judged from the fold model that never saw it. */
function devJudgements(records: readonly CorpusRecord[], model: JudgementModel, devFile: string): Map<string, Judgement> {
  const dev = JSON.parse(gunzipSync(readFileSync(devFile)).toString('utf8')) as { heads: string[]; ids: string[]; values: number[][] };
  const byId = new Map(dev.ids.map((id, i) => [id, dev.values[i]!]));
  const concepts = defaultConcepts();
  const out = new Map<string, Judgement>();
  for (const r of records) {
    const v = byId.get(r.id);
    if (!v) continue;
    const binary: Record<string, number> = {};
    BINARY_HEADS.forEach((h, i) => (binary[h] = v[i]!));
    const s = BINARY_HEADS.length;
    const input = inputOf(r);
    const counts = extractFeatures({ subject: input.subject, body: input.body, source: input.source, kind: input.kind, rating: input.rating ?? null }, concepts);
    out.set(
      r.id,
      decide(input, DEFAULT_JUDGEMENT_CONFIG, {
        out: { binary, sentiment: { negative: v[s]!, neutral: v[s + 1]!, positive: v[s + 2]! } },
        thresholds: model.thresholds,
        counts,
      }),
    );
  }
  return out;
}


function summaryLine(name: string, s: Scores): string {
  const e = s.escalation;
  return `${name.padEnd(8)} n=${String(s.n).padStart(5)}  tags macro-F1 ${fmt(s.tagMacroF1)}  escalate R ${fmt(e.recall)} P ${fmt(e.precision)}  sentiment ${fmt(s.sentiment)}  automatable F1 ${fmt(s.automatable.f1)}  spam F1 ${fmt(s.spam.f1)}`;
}

export function report(title: string, s: Scored, detail: boolean): string[] {
  const lines = [`== ${title}`, summaryLine('all', s.all)];
  for (const [lang, l] of Object.entries(s.byLanguage)) lines.push(summaryLine(lang, l));
  if (!detail) return lines;
  lines.push('  by channel:');
  for (const [ch, c] of Object.entries(s.byChannel)) lines.push(`  ${summaryLine(ch, c)}`);
  lines.push('  tag                 support  P      R      F1');
  for (const [t, p] of Object.entries(s.all.tags)) {
    lines.push(`  ${t.padEnd(18)} ${String(p.support).padStart(6)}  ${fmt(p.precision)}  ${fmt(p.recall)}  ${fmt(p.f1)}`);
  }
  lines.push('  reason              support  P      R      F1');
  for (const [r, p] of Object.entries(s.all.reasons)) {
    lines.push(`  ${r.padEnd(18)} ${String(p.support).padStart(6)}  ${fmt(p.precision)}  ${fmt(p.recall)}  ${fmt(p.f1)}`);
  }
  return lines;
}

function errorsOf(records: readonly CorpusRecord[], judged: Map<string, Judgement>): string[] {
  const lines: string[] = [];
  for (const r of records) {
    const j = judged.get(r.id);
    if (!j) continue;
    const tagsOk = [...r.labels.tags].sort().join() === j.suggestedTags.join();
    if (tagsOk && r.labels.mustEscalate === j.mustEscalate && r.labels.sentiment === j.sentiment) continue;
    lines.push(
      `${r.id} [${r.lang} ${r.channel}] ${JSON.stringify((r.subject ? `${r.subject} | ` : '') + r.body).slice(0, 220)}\n` +
        `   want tags ${r.labels.tags.join(',')} esc ${r.labels.reasons.join(',') || '-'} ${r.labels.sentiment}\n` +
        `   got  tags ${j.suggestedTags.join(',')} esc ${j.reasons.map((x) => x.code).join(',') || '-'} ${j.sentiment}`,
    );
  }
  return lines;
}

const blindScores = (ctx: { model: JudgementModel }): Scored => {
  const blind = readCorpus(judgementPaths.blind());
  const full = { model: ctx.model, concepts: defaultConcepts() };
  return scoreAll(blind.map((r) => ({ record: r, judgement: judge(inputOf(r), DEFAULT_JUDGEMENT_CONFIG, full) })));
};

/**
 * `trustloop judgement retrain`: the shipped corpus plus what the store's staff corrected, trained
 * into the store's own model (in the data folder; Trustloop uses it from its next start), with the
 * blind figures before and after so nobody installs a model that got worse without seeing it.
 */
export async function retrainWithCorrections(
  corrections: readonly Correction[],
  dataDir: string,
  log: (s: string) => void,
  corpus: string = judgementPaths.corpus(),
): Promise<void> {
  await loadLanguageDetector();
  const records = readCorpus(corpus);
  const items: Labelled[] = [
    ...records.map(fromCorpus),
    ...corrections.map((c) => ({
      id: `case-${c.caseId}`,
      group: 'corrections',
      input: {
        subject: c.subject,
        body: c.body,
        source: c.kind === 'review' ? 'review' : c.source,
        kind: c.kind,
        customer: { orderCount: null, tags: [] },
        order: null,
        rating: c.rating,
      },
      targets: correctionTargets(c),
    })),
  ];
  const current = loadJudgement(dataDir);
  const before = blindScores(current);
  const { model, bytes } = trainModel(items, { corpus: records.length, corrections: corrections.length }, log);
  const after = blindScores({ model });
  const out = judgementPaths.storeModel(dataDir);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  const line = (name: string, s: Scored) =>
    `${name}: tags macro-F1 ${fmt(s.all.tagMacroF1)} · must-escalate recall ${fmt(s.all.escalation.recall)} precision ${fmt(s.all.escalation.precision)} · sentiment ${fmt(s.all.sentiment)}`;
  log(`blind set, ${before.all.n} messages never used for training:`);
  log(`  ${line(`before (${current.source} model)`, before)}`);
  log(`  ${line('after (retrained)', after)}`);
  log(`wrote ${out}: Trustloop uses it from its next start (delete the file to go back to the shipped model).`);
}

async function main(argv: string[]): Promise<number> {
  await loadLanguageDetector();
  const [cmd, ...rest] = argv;
  const flag = (name: string) => rest.includes(name);
  const value = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
  if (cmd === 'check') {
    const { checkFiles } = await import('./judgement-data');
    return checkFiles(rest);
  }
  if (cmd === 'train') {
    const records = readCorpus(judgementPaths.corpus());
    const { bytes, dev } = trainModel(records.map(fromCorpus), { corpus: records.length }, (s) => console.log(s));
    const out = value('--out') ?? judgementPaths.shippedModel();
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, bytes);
    writeFileSync(value('--dev-out') ?? judgementPaths.shippedDev(), dev);
    console.log(`wrote ${out} (${Math.round(bytes.length / 1024)} KB); sha256 ${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`);
    return 0;
  }
  if (cmd === 'eval') {
    const model = readModel(value('--model') ?? judgementPaths.shippedModel());
    const ctx = { model, concepts: defaultConcepts() };
    const train = readCorpus(judgementPaths.corpus());
    const blind = readCorpus(judgementPaths.blind());
    const judgeAll = (records: readonly CorpusRecord[]) => new Map(records.map((r) => [r.id, judge(inputOf(r), DEFAULT_JUDGEMENT_CONFIG, ctx)]));
    const pairs = (records: readonly CorpusRecord[], judged: Map<string, Judgement>) =>
      records.filter((r) => judged.has(r.id)).map((r) => ({ record: r, judgement: judged.get(r.id)! }));
    const detail = !flag('--brief');
    const errors = value('--errors');
    console.log(`model: ${model.featureCount} features, trained on ${JSON.stringify(model.meta.examples)}, data ${model.meta.dataHash}`);
    if (!flag('--no-train')) {
      const judged = judgeAll(train);
      console.log(report('train (in-sample: what the model was fitted on)', scoreAll(pairs(train, judged)), false).join('\n'));
    }
    const devJudged = devJudgements(train, model, value('--dev') ?? judgementPaths.shippedDev());
    console.log(report('dev (out-of-fold: each message judged by a model that never saw it)', scoreAll(pairs(train, devJudged)), detail).join('\n'));
    if (errors === 'dev') console.log(errorsOf(train, devJudged).join('\n'));
    const blindJudged = judgeAll(blind);
    const blindScores = scoreAll(pairs(blind, blindJudged));
    console.log(report('blind (written separately, never used for training or tuning)', blindScores, detail).join('\n'));
    if (errors === 'blind') console.log(errorsOf(blind, blindJudged).join('\n'));
    const missed = missedTargets(blindScores, JUDGEMENT_LANGUAGES);
    console.log(missed.length === 0 ? 'blind: every target met' : `blind targets missed:\n  ${missed.join('\n  ')}`);
    return flag('--strict') && missed.length > 0 ? 1 : 0;
  }
  console.error('usage: judgement train [--out file] | eval [--errors dev|blind] [--strict] [--brief] | check <files>');
  return 2;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exitCode = 1;
    },
  );
}
