import { parentPort, workerData } from 'node:worker_threads';
import { defaultConcepts } from '../domain/judgement/concepts';
import { decide, type JudgeContext, read } from '../domain/judgement/judge';
import { loadLanguageDetector } from '../domain/judgement/language';
import { readModel } from './judgement-model';
import type { JudgementRequest, JudgementResponse } from './judgement-thread';

// The judging thread (see judgement-thread.ts): reads each message with the model and takes the
// first decision, exactly as the main thread would.

const { file } = workerData as { file: string };
const ready = (async (): Promise<JudgeContext> => {
  await loadLanguageDetector();
  return { model: readModel(file), concepts: defaultConcepts() };
})();

parentPort!.on('message', async (req: JudgementRequest) => {
  let res: JudgementResponse;
  try {
    const ctx = await ready;
    const out = req.inputs.map((input) => {
      const started = performance.now();
      const reading = read(input, ctx);
      const first = decide(input, req.config, reading);
      return { reading, first, seconds: (performance.now() - started) / 1000 };
    });
    res = { id: req.id, out };
  } catch (err) {
    res = { id: req.id, error: (err as Error).message };
  }
  parentPort!.postMessage(res);
});
