// Remembers the parsed form of each file keyed by its stat signature, so a hot reload re-parses
// only the files that changed. Values must be treated as immutable by callers.
import { statSync } from 'node:fs';

export class ParseCache {
  readonly #entries = new Map<string, { sig: string; value: unknown }>();

  /** Returns the cached value if `file` is unchanged since it was parsed, else parses it again. */
  get<T>(file: string, parse: (file: string) => T): T {
    let sig: string;
    try {
      const st = statSync(file, { bigint: true });
      sig = `${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.ino}`;
    } catch {
      this.#entries.delete(file);
      return parse(file);
    }
    const hit = this.#entries.get(file);
    if (hit && hit.sig === sig) return hit.value as T;
    const value = parse(file);
    this.#entries.set(file, { sig, value });
    return value;
  }

  /** Drops entries for files not in `keep` (files deleted since the last load). */
  retain(keep: ReadonlySet<string>): void {
    for (const file of this.#entries.keys()) if (!keep.has(file)) this.#entries.delete(file);
  }
}
