/**
 * Gathers calls that arrive together into one batch call: while `inFlight` batches are running,
 * new calls wait and go together in the next one (at most `maxBatch` at a time); when the
 * database is idle a call waits only for the rest of the current turn of the event loop. A busy
 * moment (many tickets at once) then costs the database one statement and one commit per batch
 * instead of per call, and a quiet one costs nothing extra.
 *
 * `run` answers with one result per item, in order. When it fails, each item of that batch is
 * run alone, so one bad item fails its own call only.
 */
export class Coalescer<I, O> {
  private waiting: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxBatch: number; inFlight: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.opts.inFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.opts.inFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.opts.maxBatch);
      this.running++;
      void this.runBatch(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  private async runBatch(batch: typeof this.waiting): Promise<void> {
    try {
      const out = await this.run(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(out[i]!));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // Which item failed is not known: each goes again alone.
      await Promise.all(
        batch.map((b) =>
          this.run([b.item]).then(
            (out) => b.resolve(out[0]!),
            (e: unknown) => b.reject(e),
          ),
        ),
      );
    }
  }
}
