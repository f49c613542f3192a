import { BINARY_HEADS, SENTIMENTS } from './heads';

// The trained judgement model: a vocabulary of hashed features with their inverse document
// frequency, and a linear layer from the tf-idf vector to every head (one-vs-rest logistic
// heads, and a softmax over the three sentiments). Stored compactly (int8 weights with a scale
// per head, features sorted) and read into typed arrays; predicting is a sparse dot product.

export interface HeadOutputs {
  /** Probability per binary head, by name (see heads.ts). */
  binary: Record<string, number>;
  /** Probability of each sentiment. */
  sentiment: Record<(typeof SENTIMENTS)[number], number>;
}

export interface ModelMeta {
  /** Training examples used, by where they came from (the shipped corpus, a store's corrections). */
  examples: Record<string, number>;
  seed: number;
  /** Hash of the training data, so a reader can tell two models of the same data apart from others. */
  dataHash: string;
  /** Anything worth knowing about how it was trained (epochs, regularisation). */
  settings: Record<string, number>;
}

export interface ModelParts {
  heads: readonly string[];
  features: Uint32Array;
  idf: Float32Array;
  /** features.length × (heads.length + 3), row-major: the binary heads, then the three sentiments. */
  weights: Float32Array;
  bias: Float32Array;
  /** Decision threshold per binary head (probability at or above which it fires). */
  thresholds: Record<string, number>;
  meta: ModelMeta;
}

const MAGIC = 0x4d4a4c54; // "TLJM"
const FORMAT = 1;

export class JudgementModel {
  readonly heads: readonly string[];
  readonly thresholds: Record<string, number>;
  readonly meta: ModelMeta;
  private readonly idf: Float32Array;
  private readonly bias: Float32Array;
  private readonly width: number;
  private readonly features: Uint32Array;
  // Where each feature's row is: an open-addressing table of rows (-1 empty) indexed by a hash of
  // the feature, one or two reads per lookup. A message looks up some 300 features; a binary search
  // over 140k took a cache miss at each of its 17 steps. A Map would weigh more than the weights.
  private readonly slots: Int32Array;
  private readonly slotBits: number;
  // Weights as trained (float), or as stored (int8 with a scale per output, tens of megabytes less
  // resident); the int8 sums are scaled once per output, so a stored model's figures match the
  // trained one's to within float rounding.
  private readonly weights: Float32Array | null;
  private readonly quantised: { q: Int8Array; scales: Float32Array } | null;

  constructor(parts: ModelParts);
  constructor(parts: Omit<ModelParts, 'weights'> & { weights: null }, quantised: { q: Int8Array; scales: Float32Array });
  constructor(parts: Omit<ModelParts, 'weights'> & { weights: Float32Array | null }, quantised?: { q: Int8Array; scales: Float32Array }) {
    this.heads = parts.heads;
    this.thresholds = parts.thresholds;
    this.meta = parts.meta;
    this.idf = parts.idf;
    this.bias = parts.bias;
    this.width = parts.heads.length + SENTIMENTS.length;
    this.features = parts.features;
    this.weights = parts.weights;
    this.quantised = quantised ?? null;
    this.slotBits = Math.max(4, Math.ceil(Math.log2(parts.features.length * 1.8 + 1)));
    this.slots = new Int32Array(1 << this.slotBits).fill(-1);
    const mask = this.slots.length - 1;
    for (let row = 0; row < parts.features.length; row++) {
      let i = this.slotOf(parts.features[row]!);
      while (this.slots[i] !== -1) i = (i + 1) & mask;
      this.slots[i] = row;
    }
    const stored = this.weights?.length ?? this.quantised?.q.length ?? -1;
    if (parts.bias.length !== this.width || stored !== parts.features.length * this.width) {
      throw new Error('judgement model: the weights do not match the heads and features');
    }
  }

  private slotOf(feature: number): number {
    return Math.imul(feature, 0x9e3779b1) >>> (32 - this.slotBits);
  }

  /** The row of a feature, or undefined when the model did not learn it. */
  private rowOf(feature: number): number | undefined {
    const mask = this.slots.length - 1;
    for (let i = this.slotOf(feature); ; i = (i + 1) & mask) {
      const row = this.slots[i]!;
      if (row === -1) return undefined;
      if (this.features[row] === feature) return row;
    }
  }

  /** Whether the model learned anything about this feature. */
  knows(feature: number): boolean {
    return this.rowOf(feature) !== undefined;
  }

  get featureCount(): number {
    return this.features.length;
  }

  /** Sparse tf-idf (term weights from extractFeatures × idf, L2-normalised) over the features the model knows. */
  vector(counts: Map<number, number>): { rows: Int32Array; values: Float32Array } {
    const rows = new Int32Array(counts.size);
    const values = new Float32Array(counts.size);
    let n = 0;
    let norm = 0;
    for (const [f, c] of counts) {
      const row = this.rowOf(f);
      if (row === undefined) continue;
      const v = c * this.idf[row]!;
      rows[n] = row;
      values[n++] = v;
      norm += v * v;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < n; k++) values[k]! *= scale;
    return { rows: rows.subarray(0, n), values: values.subarray(0, n) };
  }

  predict(counts: Map<number, number>): HeadOutputs {
    const { rows, values } = this.vector(counts);
    const width = this.width;
    const z = new Float64Array(width);
    if (this.weights) {
      const w = this.weights;
      for (let k = 0; k < rows.length; k++) {
        const base = rows[k]! * width;
        const x = values[k]!;
        for (let h = 0; h < width; h++) z[h]! += w[base + h]! * x;
      }
    } else {
      // An int8 weight times its output's scale: the scale is applied once to each output's sum
      // rather than to every weight it adds up (a message reads some 300 features × 39 outputs).
      const { q, scales } = this.quantised!;
      for (let k = 0; k < rows.length; k++) {
        const base = rows[k]! * width;
        const x = values[k]!;
        for (let h = 0; h < width; h++) z[h]! += q[base + h]! * x;
      }
      for (let h = 0; h < width; h++) z[h]! *= scales[h]!;
    }
    for (let h = 0; h < width; h++) z[h]! += this.bias[h]!;
    const binary: Record<string, number> = {};
    this.heads.forEach((name, h) => (binary[name] = 1 / (1 + Math.exp(-z[h]!))));
    const s = this.heads.length;
    const top = Math.max(z[s]!, z[s + 1]!, z[s + 2]!);
    const e = [Math.exp(z[s]! - top), Math.exp(z[s + 1]! - top), Math.exp(z[s + 2]! - top)];
    const sum = e[0]! + e[1]! + e[2]!;
    return { binary, sentiment: { negative: e[0]! / sum, neutral: e[1]! / sum, positive: e[2]! / sum } };
  }

  /** Whether a binary head fires at its threshold. */
  fires(out: HeadOutputs, head: string): boolean {
    return (out.binary[head] ?? 0) >= (this.thresholds[head] ?? 0.5);
  }

  /** The model as bytes: a JSON header, then the features, idf, int8 weights (a scale per output) and biases. */
  serialise(): Uint8Array {
    const { features, idf, bias } = this;
    const width = this.width;
    const { q, scales } = this.quantised ?? quantise(this.weights!, features.length, width);
    const header = new TextEncoder().encode(
      JSON.stringify({ heads: this.heads, thresholds: this.thresholds, meta: this.meta, features: features.length, width }),
    );
    const pad = (n: number) => (4 - (n % 4)) % 4;
    const headerPad = pad(header.length);
    const size = 12 + header.length + headerPad + features.byteLength + idf.byteLength + scales.byteLength + bias.byteLength + q.byteLength;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, FORMAT, true);
    view.setUint32(8, header.length, true);
    let at = 12;
    out.set(header, at);
    at += header.length + headerPad;
    for (const part of [features, idf, scales, bias, q]) {
      out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), at);
      at += part.byteLength;
    }
    return out;
  }

  static deserialise(bytes: Uint8Array): JudgementModel {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) throw new Error('not a Trustloop judgement model');
    if (view.getUint32(4, true) !== FORMAT) throw new Error(`judgement model format ${view.getUint32(4, true)} is not supported`);
    const headerLength = view.getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
      heads: string[];
      thresholds: Record<string, number>;
      meta: ModelMeta;
      features: number;
      width: number;
    };
    let at = 12 + headerLength + ((4 - (headerLength % 4)) % 4);
    // The arrays are views into the bytes when those are 4-byte aligned (a file's decompressed
    // buffer is: the model then costs its size once, not twice); otherwise copies (a small
    // Buffer can be a view into Node's shared pool at any offset).
    const aligned = bytes.byteOffset % 4 === 0;
    const take = <T>(n: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T, size: number): T => {
      const start = at;
      at += n * size;
      if (aligned) return make(bytes.buffer, bytes.byteOffset + start, n);
      const part = new Uint8Array(n * size);
      part.set(bytes.subarray(start, start + n * size));
      return make(part.buffer, 0, n);
    };
    const features = take(header.features, (b, o, n) => new Uint32Array(b, o, n), 4);
    const idf = take(header.features, (b, o, n) => new Float32Array(b, o, n), 4);
    const scales = take(header.width, (b, o, n) => new Float32Array(b, o, n), 4);
    const bias = take(header.width, (b, o, n) => new Float32Array(b, o, n), 4);
    const q = take(header.features * header.width, (b, o, n) => new Int8Array(b, o, n), 1);
    return new JudgementModel(
      { heads: header.heads, features, idf, weights: null, bias, thresholds: header.thresholds, meta: header.meta },
      { q, scales },
    );
  }
}

/** int8 weights with one scale per output (its largest weight maps to ±127). */
function quantise(weights: Float32Array, rows: number, width: number): { q: Int8Array; scales: Float32Array } {
  const scales = new Float32Array(width);
  for (let h = 0; h < width; h++) {
    let max = 0;
    for (let r = 0; r < rows; r++) max = Math.max(max, Math.abs(weights[r * width + h]!));
    scales[h] = max > 0 ? max / 127 : 1;
  }
  const q = new Int8Array(weights.length);
  for (let r = 0; r < rows; r++) {
    for (let h = 0; h < width; h++) q[r * width + h] = Math.round(weights[r * width + h]! / scales[h]!);
  }
  return { q, scales };
}

/** The binary heads this build of Trustloop reads; a model trained for other heads is refused. */
export function checkHeads(model: JudgementModel): void {
  const missing = BINARY_HEADS.filter((h) => !model.heads.includes(h));
  if (missing.length > 0) throw new Error(`judgement model lacks the heads ${missing.join(', ')}: retrain it (npm run train)`);
}
