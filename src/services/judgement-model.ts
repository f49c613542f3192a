import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { defaultConcepts, conceptsFingerprint } from '../domain/judgement/concepts';
import type { JudgeContext } from '../domain/judgement/judge';
import { checkHeads, JudgementModel } from '../domain/judgement/model';

// Where the judgement model comes from: the one shipped with Trustloop (trained by `npm run
// train` from the corpus in src/domain/judgement/data), or the store's own, retrained with its
// staff's corrections (`trustloop judgement retrain`), kept in the data folder. Read from disk
// once; nothing is fetched.

/** The folder holding package.json, found from this file whether it runs from src/ or from the dist/ bundle. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src', 'domain', 'judgement'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the Trustloop folder (package.json with src/domain/judgement)');
    dir = up;
  }
}

export const judgementPaths = {
  corpus: () => path.join(packageRoot(), 'src', 'domain', 'judgement', 'data', 'train'),
  blind: () => path.join(packageRoot(), 'src', 'domain', 'judgement', 'data', 'blind'),
  shippedModel: () => path.join(packageRoot(), 'src', 'domain', 'judgement', 'data', 'model.bin.gz'),
  shippedDev: () => path.join(packageRoot(), 'src', 'domain', 'judgement', 'data', 'model.dev.json.gz'),
  storeModel: (dataDir: string) => path.join(dataDir, 'judgement', 'model.bin.gz'),
};

/**
 * Decompresses a gzip file into one buffer of its stated size (the trailer's ISIZE). gunzipSync's
 * default 16 KB chunks are each a small malloc block: some 400 of them, copied into the result and
 * freed, left megabytes of holes in the process's heap that glibc does not give back.
 */
function gunzipWhole(gz: Buffer): Buffer {
  const stated = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  // One byte over the stated size, so the output fits the first chunk with room to spare and zlib
  // needs no second one; a false trailer only changes the chunking, not the bytes.
  return gunzipSync(gz, { chunkSize: Math.min(Math.max(stated + 1, 64 * 1024), 256 * 1024 * 1024) });
}

export function readModel(file: string): JudgementModel {
  const model = JudgementModel.deserialise(gunzipWhole(readFileSync(file)));
  checkHeads(model);
  if (model.meta.settings.concepts !== undefined && model.meta.settings.concepts !== conceptsFingerprint()) {
    throw new Error(`${file} was trained with another concept lexicon than this Trustloop's: retrain it (npm run train)`);
  }
  return model;
}

const loaded = new Map<string, JudgeContext>();

/** The store's retrained model when there is one, else the shipped one; each file read once per process. */
export function loadJudgement(dataDir?: string): JudgeContext & { source: 'store' | 'shipped'; file: string } {
  const store = dataDir ? judgementPaths.storeModel(dataDir) : null;
  const file = store && existsSync(store) ? store : judgementPaths.shippedModel();
  let ctx = loaded.get(file);
  if (!ctx) {
    ctx = { model: readModel(file), concepts: defaultConcepts() };
    loaded.set(file, ctx);
  }
  return { ...ctx, source: file === store ? 'store' : 'shipped', file };
}
