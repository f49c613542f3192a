import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { eld } from 'eld/extrasmall';
import { describe, expect, test } from 'vitest';
import { compactDetector, packNgrams } from '../../src/domain/judgement/language-data';
import { languageSample } from '../../src/domain/judgement/language';

// The language detector runs on eld's database held compactly: what it decides must be what eld
// decides with its own import, score for score, on the labelled messages (the blind set and every
// sixth training message: some 2,600 texts in a dozen languages, as detectLanguage passes them).

const dataDir = path.resolve(import.meta.dirname, '../../src/domain/judgement/data');
const texts = ['train', 'blind'].flatMap((set) =>
  readdirSync(path.join(dataDir, set))
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(path.join(dataDir, set, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as { subject?: string; body: string })
        .filter((_, i) => set === 'blind' || i % 6 === 0),
    ),
);

describe('the compact language database', () => {
  test('decides as eld does on the labelled messages: language, scores and reliability', async () => {
    const compact = await compactDetector();
    expect(compact).not.toBeNull();
    expect(texts.length).toBeGreaterThan(2500);
    const differ: unknown[] = [];
    for (const t of texts) {
      for (const text of [languageSample(`${t.subject ?? ''}\n${t.body}`)]) {
        const ours = compact!.detect(text);
        const theirs = eld.detect(text);
        const a = [ours.language, ours.isReliable(), JSON.stringify(ours.getScores())];
        const b = [theirs.language, theirs.isReliable(), JSON.stringify(theirs.getScores())];
        if (JSON.stringify(a) !== JSON.stringify(b)) differ.push({ text, ours: a, eld: b });
      }
    }
    expect(differ).toEqual([]);
  });

  test('reads quoted keys with escaped quotes, bare keys and several languages per n-gram', () => {
    const p = packNgrams(`export const ngramsData = {type:'T2',languages:{0:'de',1:'en'},ngrams:{'a\\'b':{0:5},Lx:{0:1,1:7},' c ':{1:2}}};`);
    expect(p.type).toBe('T2');
    expect(p.languages).toEqual({ 0: 'de', 1: 'en' });
    expect([...p.index.keys()]).toEqual(["a'b", 'Lx', ' c ']);
    const i = p.index.get('Lx')!;
    expect([...p.langs.slice(p.start[i], p.start[i + 1])]).toEqual([0, 1]);
    expect([...p.scores.slice(p.start[i], p.start[i + 1])]).toEqual([1, 7]);
  });
});
