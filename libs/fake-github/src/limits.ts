// GitHub's rate limits in the fake, per identity (a token, an App installation, an App's JWT):
// - primary: `rateLimit` requests per window (GitHub: 5,000 an hour), counted from the first
//   request of the window, with GitHub's x-ratelimit-* headers on every answer; 304 answers to
//   conditional requests are free, as on GitHub;
// - secondary: at most `writes` content-creating requests (POST/PATCH/PUT/DELETE) in any sliding
//   `windowMs` (GitHub: 80 a minute and 500 an hour); more is refused with 403 and `retry-after`.
// Every accepted write and every refusal is recorded for assertions.

export interface SecondaryLimit {
  writes: number;
  windowMs: number;
}

export interface RateLimitOptions {
  /** Requests per identity per window before 403 "API rate limit exceeded" (default 5000). */
  rateLimit?: number;
  /** The primary window (default 1 hour, as GitHub). */
  rateLimitWindowMs?: number;
  /** Secondary limits on content-creating requests, each enforced (e.g. 80/min and 500/h). */
  secondaryRateLimits?: SecondaryLimit[];
}

export interface LimitRecord {
  at: number;
  identity: string;
  method: string;
  path: string;
}

export interface Refusal extends LimitRecord {
  kind: 'primary' | 'secondary';
}

interface Window {
  resetMs: number;
  used: number;
}

export class FakeRateLimits {
  /** Content-creating requests let through, in arrival order. */
  readonly writes: LimitRecord[] = [];
  /** Requests refused for a rate limit, in order. */
  readonly refused: Refusal[] = [];
  readonly limit: number;
  readonly windowMs: number;
  readonly secondary: SecondaryLimit[];
  readonly #windows = new Map<string, Window>();

  constructor(opts: RateLimitOptions = {}) {
    this.limit = opts.rateLimit ?? 5000;
    this.windowMs = opts.rateLimitWindowMs ?? 3600_000;
    this.secondary = opts.secondaryRateLimits ?? [];
  }

  #window(identity: string, now: number): Window {
    let w = this.#windows.get(identity);
    if (!w || now >= w.resetMs)
      this.#windows.set(identity, (w = { resetMs: now + this.windowMs, used: 0 }));
    return w;
  }

  /** GitHub's x-ratelimit-* headers for this identity now. */
  headers(identity: string, now: number): Record<string, string> {
    const w = this.#window(identity, now);
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - w.used)),
      'x-ratelimit-reset': String(Math.ceil(w.resetMs / 1000)),
      'x-ratelimit-used': String(w.used),
      'x-ratelimit-resource': 'core',
    };
  }

  /** True when the primary quota is spent (the request is refused and recorded). */
  primaryExceeded(req: LimitRecord): boolean {
    if (this.#window(req.identity, req.at).used < this.limit) return false;
    this.refused.push({ ...req, kind: 'primary' });
    return true;
  }

  /** Counts an answered request against the primary quota. */
  count(identity: string, now: number): void {
    this.#window(identity, now).used++;
  }

  /**
   * For a content-creating request: undefined when it may go (it is recorded), else the seconds
   * to wait before the oldest write in the fullest window leaves it (the refusal is recorded).
   */
  admitWrite(req: LimitRecord): number | undefined {
    let waitMs = 0;
    for (const { writes, windowMs } of this.secondary) {
      const inWindow = this.writes.filter(
        (w) => w.identity === req.identity && w.at > req.at - windowMs,
      );
      if (inWindow.length >= writes) {
        const oldest = inWindow[inWindow.length - writes]!;
        waitMs = Math.max(waitMs, oldest.at + windowMs - req.at);
      }
    }
    if (waitMs > 0) {
      this.refused.push({ ...req, kind: 'secondary' });
      return Math.max(1, Math.ceil(waitMs / 1000));
    }
    this.writes.push(req);
    return undefined;
  }

  /** The most writes of one identity in any window of `windowMs` (for assertions). */
  maxWritesInWindow(windowMs: number, identity?: string): number {
    const at = this.writes
      .filter((w) => identity === undefined || w.identity === identity)
      .map((w) => w.at);
    let max = 0;
    for (let i = 0, j = 0; j < at.length; j++) {
      while (at[j]! - at[i]! >= windowMs) i++;
      max = Math.max(max, j - i + 1);
    }
    return max;
  }
}
