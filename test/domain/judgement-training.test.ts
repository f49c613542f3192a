import { describe, expect, it } from 'vitest';
import { dataHash, examplesOf, fromCorpus, readCorpus } from '../../src/cli/judgement';
import { conceptsFingerprint } from '../../src/domain/judgement/concepts';
import { JudgementModel } from '../../src/domain/judgement/model';
import { DEFAULT_SETTINGS, train } from '../../src/domain/judgement/train';
import { judgementPaths, readModel } from '../../src/services/judgement-model';

// The shipped model is the one `npm run train` makes from the committed corpus: a change to the
// data or to the concept lists without retraining is caught here, and training itself is
// reproducible (the same examples and seed give the same bytes).

describe('the shipped judgement model', () => {
  const records = readCorpus(judgementPaths.corpus());
  const items = records.map(fromCorpus);

  it('was trained on the corpus as committed, with the concept lists as committed', () => {
    const model = readModel(judgementPaths.shippedModel());
    expect(model.meta.dataHash, 'the corpus changed since the model was trained: run npm run train').toBe(dataHash(items));
    expect(model.meta.settings.concepts, 'the concept lists changed since the model was trained: run npm run train').toBe(conceptsFingerprint());
    expect(model.meta.examples.corpus).toBe(records.length);
  });

  it('training is deterministic: the same examples and seed give the same model, byte for byte', () => {
    const sample = examplesOf(items.filter((_, i) => i % 40 === 0));
    const bytes = () => new JudgementModel({ ...train(sample, DEFAULT_SETTINGS), thresholds: { escalate: 0.5 } }).serialise();
    const a = bytes();
    const b = bytes();
    expect(a.length).toBeGreaterThan(1000);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
