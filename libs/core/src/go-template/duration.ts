// Go's time.Duration: ParseDuration and String, for Prow's Duration fields in templates.
const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Nanoseconds of a Go duration string (or a number of nanoseconds); NaN if malformed. */
export function parseGoDuration(d: string | number | undefined): number {
  if (typeof d === 'number') return d;
  if (d === undefined || d === '') return 0;
  const m = /^([+-]?)(.*)$/.exec(d)!;
  let rest = m[2]!;
  if (rest === '0') return 0;
  if (rest === '') return NaN;
  let total = 0;
  while (rest.length > 0) {
    const part = /^(\d*\.?\d*)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!part || part[1] === '' || part[1] === '.') return NaN;
    total += Number(part[1]) * UNITS[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return m[1] === '-' ? -total : total;
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
