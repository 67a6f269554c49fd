/**
 * Gathers the calls made in one turn of the event loop into one batch (DataLoader-style), so a
 * courier running hundreds of deliveries at once sends PostgreSQL one statement per batch
 * instead of one per delivery. Under light load a batch is a single call: no added latency.
 *
 * With `maxInFlight`, at most that many batches run at once; calls made meanwhile wait and go
 * together as soon as one finishes (group commit). Under load the batches grow instead of the
 * statements multiplying, so PostgreSQL does the same rows in fewer statements on fewer busy
 * backends.
 */
export class MicroBatcher<I, O> {
  private pending: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly maxBatch = 500,
    private readonly maxInFlight = Infinity,
  ) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Full batches go at once, the rest at the end of this turn; nothing while every flight is taken (a flight's end calls this again). */
  private schedule(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length >= this.maxBatch) this.flush();
    if (this.pending.length === 0 || this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight < this.maxInFlight) this.flush();
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.inFlight++;
    // Through a promise, so a run that throws at once still rejects its batch and frees its flight.
    Promise.resolve()
      .then(() => this.run(batch.map((b) => b.input)))
      .then(
        (outputs) => batch.forEach((b, i) => b.resolve(outputs[i])),
        (err) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
      });
  }
}
