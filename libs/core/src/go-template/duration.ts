// Go's time.Duration for Prow's Duration fields in templates and pod utilities: parsed with
// Go's time.ParseDuration (../duration.ts), printed as Duration.String().
import { parseDurationNs } from '../duration.js';

/**
 * Nanoseconds of a Prow Duration: a Go duration string or a number of nanoseconds; 0 when unset
 * or empty, NaN if malformed (where time.ParseDuration would return an error).
 */
export function parseGoDuration(d: string | number | undefined): number {
  if (typeof d === 'number') return d;
  if (d === undefined || d === '') return 0;
  try {
    return Number(parseDurationNs(d));
  } catch {
    return NaN;
  }
}

function fraction(v: number, prec: number): string {
  const s = String(v).padStart(prec, '0').replace(/0+$/, '');
  return s === '' ? '' : `.${s}`;
}

/** time.Duration.String(): "1h2m3.5s", "1.5ms", "0s". */
export function formatGoDuration(ns: number): string {
  if (Number.isNaN(ns)) return '0s';
  const neg = ns < 0;
  let u = Math.round(Math.abs(ns));
  let out: string;
  if (u < 1e9) {
    if (u === 0) return '0s';
    if (u < 1e3) out = `${u}ns`;
    else if (u < 1e6) out = `${Math.floor(u / 1e3)}${fraction(u % 1e3, 3)}µs`;
    else out = `${Math.floor(u / 1e6)}${fraction(u % 1e6, 6)}ms`;
  } else {
    const frac = fraction(u % 1e9, 9);
    u = Math.floor(u / 1e9);
    out = `${u % 60}${frac}s`;
    u = Math.floor(u / 60);
    if (u > 0) {
      out = `${u % 60}m${out}`;
      u = Math.floor(u / 60);
      if (u > 0) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
