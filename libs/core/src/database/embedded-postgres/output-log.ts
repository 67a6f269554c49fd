/**
 * PostgreSQL's and the launcher's output, line by line: passed on to the caller's log, and the
 * last lines kept to be quoted in an error.
 */
export class OutputLog {
  private readonly recent: string[] = [];
  /** Output arrives in chunks that may end mid-line (initdb's "... ok"). */
  private partial = '';

  /** `dataDir`: the cluster errors name (it changes when the cluster is moved). */
  constructor(
    public dataDir: string,
    private readonly sink?: (line: string) => void,
  ) {}

  /** A chunk of PostgreSQL's output. */
  output(chunk: string): void {
    const lines = (this.partial + chunk.replace(/^\[STDERR\] /, '')).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    lines.forEach((l) => this.emit(l));
  }

  /** A line of the launcher's own. */
  log(line: string): void {
    this.flush();
    this.emit(line);
  }

  /** An error naming the cluster, with the cause and the last lines PostgreSQL printed. */
  failure(message: string, cause?: unknown): Error {
    const detail = cause instanceof Error ? `: ${cause.message}` : cause ? `: ${String(cause)}` : '';
    this.flush();
    const tail = this.recent.length ? `\n--- last PostgreSQL output ---\n${this.recent.slice(-20).join('\n')}` : '';
    return new Error(`Embedded PostgreSQL (${this.dataDir}) ${message}${detail}${tail}`);
  }

  private flush(): void {
    this.emit(this.partial);
    this.partial = '';
  }

  private emit(raw: string): void {
    const line = raw.trimEnd();
    if (!line) return;
    this.recent.push(line);
    if (this.recent.length > 40) this.recent.shift();
    this.sink?.(line);
  }
}
