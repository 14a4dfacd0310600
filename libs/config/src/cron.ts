// Cron syntax check equivalent to Prow's parser: robfig/cron/v3
// `NewParser(SecondOptional | Minute | Hour | Dom | Month | Dow | Descriptor)`: 5 fields, or 6 with
// a leading seconds field; `*`, `?`, lists, ranges, steps, month/day names; descriptors such as
// `@daily` and `@every 1h`; an optional `TZ=`/`CRON_TZ=` prefix.
import { checkDuration } from './duration.js';

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    ...{ jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6 },
    ...{ jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  },
};
const DOW: Bounds = {
  min: 0,
  max: 6,
  names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 },
};
const FIELDS = [SECONDS, MINUTES, HOURS, DOM, MONTHS, DOW];
const DESCRIPTORS = [
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
];

/** Go strconv.Atoi plus robfig's "negative number not allowed". */
function parseInt10(expr: string): number | string {
  if (!/^[+-]?\d+$/.test(expr)) {
    const atoi = `strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`;
    return `failed to parse int from ${expr}: ${atoi}`;
  }
  const n = Number(expr);
  if (n < 0) return `negative number (${n}) not allowed: ${expr}`;
  return n;
}

function parseIntOrName(expr: string, b: Bounds): number | string {
  const named = b.names?.[expr.toLowerCase()];
  return named ?? parseInt10(expr);
}

function checkRange(expr: string, b: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] as string).split('-');
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
  } else {
    const s = parseIntOrName(lowAndHigh[0] as string, b);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseIntOrName(lowAndHigh[1] as string, b);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const st = parseInt10(rangeAndStep[1] as string);
    if (typeof st === 'string') return st;
    step = st;
    if (lowAndHigh.length === 1) end = b.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

function validTimeZone(tz: string): boolean {
  if (tz === '' || tz === 'UTC' || tz === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Returns robfig/cron's error for `spec`, or undefined if Prow would accept it. */
export function cronError(input: string): string | undefined {
  let spec = input;
  if (spec.length === 0) return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const sp = spec.indexOf(' ');
    if (sp < 0) {
      return `provided bad location ${spec.slice(spec.indexOf('=') + 1)}: missing schedule`;
    }
    const tz = spec.slice(spec.indexOf('=') + 1, sp);
    if (!validTimeZone(tz)) return `provided bad location ${tz}: unknown time zone ${tz}`;
    spec = spec.slice(sp).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.includes(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const d = checkDuration(spec.slice('@every '.length));
      return 'error' in d ? `failed to parse duration ${spec}: ${d.error}` : undefined;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length < 5 || fields.length > 6) {
    return `expected 5 to 6 fields, found ${fields.length}: [${fields.join(' ')}]`;
  }
  if (fields.length === 5) fields.unshift('0');
  for (let i = 0; i < 6; i++) {
    for (const expr of (fields[i] as string).split(',').filter((r) => r !== '')) {
      const e = checkRange(expr, FIELDS[i] as Bounds);
      if (e) return e;
    }
  }
  return undefined;
}
