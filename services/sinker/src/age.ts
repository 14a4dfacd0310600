// Age comparisons on the ISO times stored in ProwJobs and builds. Prow compares strictly
// (`time.Since(t) > max`); a missing or unparseable time is never "older" (keep, don't guess).

export function olderThan(iso: string | undefined, maxAgeMs: number, now: number): boolean {
  if (!iso) return false;
  const t = Date.parse(iso);
  return Number.isFinite(t) && now - t > maxAgeMs;
}

/** The time in ms, or -Infinity when missing or unparseable (sorts first, never "newest"). */
export function timeMs(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : -Infinity;
}
