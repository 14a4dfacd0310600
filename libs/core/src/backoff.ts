// Exponential back-off for a retry loop that must stop promptly (the Kubernetes watch loops of
// @jetprow/runner and @jetprow/store): pause() sleeps the current delay, then doubles it up to
// maxMs; reset() after a success. Once `signal` aborts (the loop is stopping), a pause in
// progress ends at once and later ones do not sleep.
import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffRange {
  minMs: number;
  maxMs: number;
}

const DEFAULT_RANGE: BackoffRange = { minMs: 250, maxMs: 10_000 };

export class Backoff {
  private readonly range: BackoffRange;
  private readonly signal: AbortSignal;
  private delay: number;

  constructor(signal: AbortSignal, range: BackoffRange = DEFAULT_RANGE) {
    this.signal = signal;
    this.range = range;
    this.delay = range.minMs;
  }

  reset(): void {
    this.delay = this.range.minMs;
  }

  async pause(): Promise<void> {
    const ms = this.delay;
    this.delay = Math.min(ms * 2, this.range.maxMs);
    await sleep(ms, undefined, { signal: this.signal }).catch(() => undefined);
  }
}
