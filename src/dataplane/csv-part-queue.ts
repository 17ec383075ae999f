import type { CsvPart } from './csv-load.js';

// Parts waiting for the loader before the source is paused: with 1 MB parts, a few MB in memory at most.
const QUEUED_PARTS = 4;

/** What a queue can ask of the stream that fills it. */
export interface PausableSource {
  pause(): void;
  resume(): void;
}

/**
 * Parts a source produces while it streams (from network callbacks), waiting for the loader, which
 * takes them with `parts()`. The source is paused while QUEUED_PARTS parts wait, so memory stays flat
 * however large the result. A loader that stops early makes the queue drop the rest and resume the
 * source, so the connection reads to the end of the result instead of stalling paused.
 */
export class CsvPartQueue {
  private readonly queue: CsvPart[] = [];
  private failure: unknown;
  private ended = false;
  private stopped = false;
  private paused = false;
  private wake: (() => void) | undefined;

  constructor(private readonly source: PausableSource) {}

  push(part: CsvPart): void {
    if (this.stopped) return part.release?.();
    this.queue.push(part);
    this.notify();
    if (this.queue.length >= QUEUED_PARTS && !this.paused) {
      this.paused = true;
      this.source.pause();
    }
  }

  /** The source failed: `parts()` throws `err` (the first one reported). */
  fail(err: unknown): void {
    this.failure ??= err;
    this.notify();
  }

  /** The source has pushed its last part. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  async *parts(): AsyncGenerator<CsvPart> {
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        const part = this.queue.shift();
        if (part !== undefined) {
          if (this.paused && this.queue.length < QUEUED_PARTS / 2) this.resume();
          yield part;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
    } finally {
      if (!this.ended && this.failure === undefined) {
        this.stopped = true;
        this.queue.length = 0;
        this.resume();
      }
    }
  }

  private resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.source.resume();
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }
}
