// Conditional GETs (docs.github.com: "conditional requests"): a 304 answer to `If-None-Match`
// costs no rate limit. The cache keeps the newest ETag and body per request, least recently used
// first out.

export interface CachedPage<T> {
  etag: string;
  data: T;
}

export class EtagCache<T> {
  readonly #max: number;
  readonly #entries = new Map<string, CachedPage<T>>();
  hits = 0;

  constructor(max = 1000) {
    this.#max = max;
  }

  get(key: string): CachedPage<T> | undefined {
    const e = this.#entries.get(key);
    if (e) {
      this.#entries.delete(key);
      this.#entries.set(key, e);
    }
    return e;
  }

  set(key: string, page: CachedPage<T>): void {
    this.#entries.delete(key);
    this.#entries.set(key, page);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
