import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Reading } from '../domain/judgement/judge';
import type { JudgementConfig } from '../config/judgement';
import type { Judgement, JudgementInput } from '../domain/judgement/types';

// Reading a message (its features, the model, its language) is most of the CPU a new ticket costs.
// On a thread of its own it runs on another core, and the event loop that answers the helpdesk
// and the clicks never waits behind a batch of judgements. One thread per process and model file,
// started when the first ticket is judged (a process at rest does not carry it); when it cannot
// run, the caller judges on its own thread as before.

export interface JudgementRequest {
  id: number;
  inputs: JudgementInput[];
  config: JudgementConfig;
}

export type JudgementResponse = { id: number; out: ThreadJudgement[] } | { id: number; error: string };

/** A message as the thread read it, and the decision taken on that reading alone. */
export interface ThreadJudgement {
  reading: Reading;
  first: Judgement;
  /** How long the thread took over it. */
  seconds: number;
}

const threads = new Map<string, JudgementThread>();
const RETRY_AFTER_MS = 60_000;

export class JudgementThread {
  private worker: Worker | null = null;
  /** When the thread last failed: for a while after, callers judge on their own thread rather than start it again. */
  private failedAt = -Infinity;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (out: ThreadJudgement[]) => void; reject: (err: Error) => void }>();

  private constructor(private readonly file: string) {}

  /** The process's thread for this model file. */
  static for(file: string): JudgementThread {
    let thread = threads.get(file);
    if (!thread) threads.set(file, (thread = new JudgementThread(file)));
    return thread;
  }

  /** Reads the messages and takes each one's first decision, in order. */
  judge(inputs: JudgementInput[], config: JudgementConfig): Promise<ThreadJudgement[]> {
    if (inputs.length === 0) return Promise.resolve([]);
    if (performance.now() - this.failedAt < RETRY_AFTER_MS) return Promise.reject(new Error('the judging thread failed a moment ago'));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, inputs, config } satisfies JudgementRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const here = fileURLToPath(import.meta.url);
    // From the source (tests, `npm run dev`) the entry is TypeScript, read through tsx; from the
    // bundle it is the entry built beside dist/main.js.
    const entry = path.join(path.dirname(here), here.endsWith('.ts') ? 'judgement-thread-source.mjs' : 'judgement-thread.js');
    const worker = new Worker(entry, {
      workerData: { file: this.file },
      // Its messages are read and dropped at once: a small young generation does (the process's
      // flags size the main thread's for the clicks), and the model's arrays live outside the heap.
      resourceLimits: { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: 96 },
    });
    // It never keeps the process running: a process that is stopping stops.
    worker.unref();
    worker.on('message', (res: JudgementResponse) => {
      const waiting = this.pending.get(res.id);
      if (!waiting) return;
      this.pending.delete(res.id);
      if ('error' in res) waiting.reject(new Error(`judging thread: ${res.error}`));
      else waiting.resolve(res.out);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      this.failedAt = performance.now();
      for (const waiting of this.pending.values()) waiting.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`judging thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
