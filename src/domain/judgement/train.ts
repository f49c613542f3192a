import { BINARY_HEADS, SENTIMENTS, type Targets } from './heads';
import type { ModelMeta, ModelParts } from './model';

// Training the judgement model. Pure and deterministic: the same examples, settings and seed give
// the same weights, bit for bit (examples are visited in a seeded order; nothing reads a clock).
// Logistic heads and a softmax, fitted together by AdaGrad with L2 regularisation on sparse
// tf-idf vectors; thresholds are chosen on predictions for examples the model did not see
// (k-fold), never on the examples themselves.

export interface TrainExample {
  counts: Map<number, number>;
  targets: Targets;
  /** Used to make folds: examples of one group stay together (a language, a source). */
  group?: string;
}

export interface TrainSettings {
  seed: number;
  epochs: number;
  l2: number;
  /** The sentiment softmax needs less regularisation than the many sparse yes/no heads. */
  l2Sentiment: number;
  learningRate: number;
  /** A feature must occur in at least this many examples to be kept. */
  minDf: number;
  /** Positives of a rare head weigh up to this many times a negative (sqrt of the imbalance). */
  positiveWeightCap: number;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  seed: 20261206,
  epochs: 12,
  l2: 1e-2,
  l2Sentiment: 3e-4,
  learningRate: 0.25,
  minDf: 2,
  positiveWeightCap: 4,
};

const WIDTH = BINARY_HEADS.length + SENTIMENTS.length;

/** mulberry32: a small seeded generator, enough to shuffle deterministically. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Vectors {
  features: Uint32Array;
  idf: Float32Array;
  rows: Int32Array[];
  values: Float32Array[];
}

function vectorise(examples: readonly TrainExample[], minDf: number): Vectors {
  const df = new Map<number, number>();
  for (const e of examples) for (const f of e.counts.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const kept = [...df].filter(([, n]) => n >= minDf).map(([f]) => f);
  const features = Uint32Array.from(kept).sort();
  const index = new Map<number, number>();
  features.forEach((f, i) => index.set(f, i));
  const n = examples.length;
  const idf = Float32Array.from(features, (f) => Math.log((1 + n) / (1 + df.get(f)!)) + 1);
  const rows: Int32Array[] = [];
  const values: Float32Array[] = [];
  for (const e of examples) {
    const r: number[] = [];
    const v: number[] = [];
    let norm = 0;
    // Sorted by feature so the sum of squares, and so every weight, comes out the same every run.
    for (const [f, c] of [...e.counts].sort((a, b) => a[0] - b[0])) {
      const row = index.get(f);
      if (row === undefined) continue;
      const x = c * idf[row]!;
      r.push(row);
      v.push(x);
      norm += x * x;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    rows.push(Int32Array.from(r));
    values.push(Float32Array.from(v, (x) => x * scale));
  }
  return { features, idf, rows, values };
}

/** Fits the weights; the thresholds are left at 0.5 (see tuneThresholds). */
export function train(examples: readonly TrainExample[], settings: TrainSettings = DEFAULT_SETTINGS, meta?: Partial<ModelMeta>): ModelParts {
  const { features, idf, rows, values } = vectorise(examples, settings.minDf);
  const B = BINARY_HEADS.length;
  const weights = new Float32Array(features.length * WIDTH);
  const acc = new Float32Array(features.length * WIDTH).fill(1e-6);
  const bias = new Float32Array(WIDTH);
  const biasAcc = new Float32Array(WIDTH).fill(1e-6);

  // Start each head at its base rate; weigh the positives of rare heads up.
  const posWeight = new Float32Array(B);
  for (let h = 0; h < B; h++) {
    let pos = 0;
    let neg = 0;
    for (const e of examples) {
      const y = e.targets.binary[h]!;
      if (y === 1) pos++;
      else if (y === 0) neg++;
    }
    const rate = (pos + 1) / (pos + neg + 2);
    bias[h] = Math.log(rate / (1 - rate));
    posWeight[h] = Math.min(settings.positiveWeightCap, Math.max(1, Math.sqrt(neg / Math.max(1, pos))));
  }

  const random = seeded(settings.seed);
  const order = examples.map((_, i) => i);
  const z = new Float64Array(WIDTH);
  const g = new Float64Array(WIDTH);
  const lr = settings.learningRate;
  const l2 = settings.l2;
  const l2s = settings.l2Sentiment;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const idx of order) {
      const r = rows[idx]!;
      const v = values[idx]!;
      const t = examples[idx]!.targets;
      z.set(bias);
      for (let k = 0; k < r.length; k++) {
        const base = r[k]! * WIDTH;
        const x = v[k]!;
        for (let h = 0; h < WIDTH; h++) z[h]! += weights[base + h]! * x;
      }
      for (let h = 0; h < B; h++) {
        const y = t.binary[h]!;
        if (Number.isNaN(y)) {
          g[h] = 0;
          continue;
        }
        const p = 1 / (1 + Math.exp(-z[h]!));
        g[h] = (p - y) * (y === 1 ? posWeight[h]! : 1);
      }
      if (t.sentiment >= 0) {
        const top = Math.max(z[B]!, z[B + 1]!, z[B + 2]!);
        const e0 = Math.exp(z[B]! - top);
        const e1 = Math.exp(z[B + 1]! - top);
        const e2 = Math.exp(z[B + 2]! - top);
        const sum = e0 + e1 + e2;
        g[B] = e0 / sum - (t.sentiment === 0 ? 1 : 0);
        g[B + 1] = e1 / sum - (t.sentiment === 1 ? 1 : 0);
        g[B + 2] = e2 / sum - (t.sentiment === 2 ? 1 : 0);
      } else {
        g[B] = g[B + 1] = g[B + 2] = 0;
      }
      for (let h = 0; h < WIDTH; h++) {
        const gh = g[h]!;
        if (gh === 0) continue;
        biasAcc[h]! += gh * gh;
        bias[h]! -= (lr * gh) / Math.sqrt(biasAcc[h]!);
      }
      for (let k = 0; k < r.length; k++) {
        const base = r[k]! * WIDTH;
        const x = v[k]!;
        for (let h = 0; h < WIDTH; h++) {
          const gh = g[h]!;
          if (gh === 0) continue;
          const w = weights[base + h]!;
          const grad = gh * x + (h < B ? l2 : l2s) * w;
          const a = (acc[base + h]! += grad * grad);
          weights[base + h] = w - (lr * grad) / Math.sqrt(a);
        }
      }
    }
  }

  const thresholds: Record<string, number> = {};
  for (const h of BINARY_HEADS) thresholds[h] = 0.5;
  return {
    heads: BINARY_HEADS,
    features,
    idf,
    weights,
    bias,
    thresholds,
    meta: { examples: {}, seed: settings.seed, dataHash: '', settings: { ...settings }, ...meta },
  };
}

/** Drops features whose weights are all near zero: a smaller model that predicts the same. */
export function prune(parts: ModelParts, keepAbove: number): ModelParts {
  const keep: number[] = [];
  for (let r = 0; r < parts.features.length; r++) {
    let max = 0;
    for (let h = 0; h < WIDTH; h++) max = Math.max(max, Math.abs(parts.weights[r * WIDTH + h]!));
    if (max >= keepAbove) keep.push(r);
  }
  const weights = new Float32Array(keep.length * WIDTH);
  keep.forEach((r, i) => weights.set(parts.weights.subarray(r * WIDTH, (r + 1) * WIDTH), i * WIDTH));
  return {
    ...parts,
    features: Uint32Array.from(keep, (r) => parts.features[r]!),
    idf: Float32Array.from(keep, (r) => parts.idf[r]!),
    weights,
  };
}

/** The fold of an example, from its group and position: every group spread over the folds. */
export function foldsOf(examples: readonly TrainExample[], k: number): number[] {
  const seen = new Map<string, number>();
  return examples.map((e) => {
    const g = e.group ?? '';
    const n = seen.get(g) ?? 0;
    seen.set(g, n + 1);
    return n % k;
  });
}

/** Picks, per head, the threshold that best scores the out-of-fold predictions (F-beta; beta > 1 favours recall). */
export function tuneThreshold(probs: readonly number[], labels: readonly number[], beta = 1): number {
  const pairs = probs.map((p, i) => [p, labels[i]!] as const).filter(([, y]) => !Number.isNaN(y));
  const positives = pairs.filter(([, y]) => y === 1).length;
  if (positives === 0) return 0.5;
  const b2 = beta * beta;
  let best = 0.5;
  let bestScore = -1;
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    let tp = 0;
    let fp = 0;
    for (const [p, y] of pairs) {
      if (p >= t) {
        if (y === 1) tp++;
        else fp++;
      }
    }
    const fn = positives - tp;
    const score = tp === 0 ? 0 : ((1 + b2) * tp) / ((1 + b2) * tp + b2 * fn + fp);
    // Between equal scores the middle of the plateau is kept by taking the later one only when better.
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

export interface FitOptions {
  settings?: TrainSettings;
  folds?: number;
  /** F-beta per head when choosing its threshold: recall counts beta times as much as precision. */
  beta?: (head: string) => number;
  /** Features whose weights all stay below this are dropped from the shipped model. */
  pruneBelow?: number;
  meta?: Partial<ModelMeta>;
}

/**
 * Heads lean to F1, but three lean to recall: the overall "escalate" head (a miss is a customer left
 * without a person) and the two tags that are escalation reasons themselves (money back, a
 * chargeback). The other reason heads are shown on the card by name, so they aim at being right;
 * the escalate head catches what they miss.
 */
export const DEFAULT_BETA = (head: string) => (RECALL_HEADS.has(head) ? 2 : 1);

const RECALL_HEADS = new Set(['escalate', 'tag:refund', 'tag:chargeback']);

/**
 * Trains the model the way it ships: k models on k-1 folds predict the fold they did not see
 * (out-of-fold predictions, the "dev" figures and the ground for every threshold), then one
 * model on everything takes those thresholds.
 */
export function fitJudgementModel(
  examples: readonly TrainExample[],
  predict: (parts: ModelParts, e: TrainExample) => Float64Array,
  opts: FitOptions = {},
): { parts: ModelParts; oof: Float64Array[] } {
  const settings = opts.settings ?? DEFAULT_SETTINGS;
  const k = opts.folds ?? 5;
  const beta = opts.beta ?? DEFAULT_BETA;
  const folds = foldsOf(examples, k);
  const oof: Float64Array[] = examples.map(() => new Float64Array(WIDTH));
  for (let f = 0; f < k; f++) {
    const parts = train(
      examples.filter((_, i) => folds[i] !== f),
      settings,
    );
    examples.forEach((e, i) => {
      if (folds[i] === f) oof[i] = predict(parts, e);
    });
  }
  const thresholds: Record<string, number> = {};
  BINARY_HEADS.forEach((h, j) => {
    thresholds[h] = tuneThreshold(
      oof.map((p) => p[j]!),
      examples.map((e) => e.targets.binary[j]!),
      beta(h),
    );
  });
  let parts = train(examples, settings, opts.meta);
  if (opts.pruneBelow) parts = prune(parts, opts.pruneBelow);
  return { parts: { ...parts, thresholds }, oof };
}
