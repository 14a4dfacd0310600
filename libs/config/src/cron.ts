// Cron parsing equivalent to Prow's parser: robfig/cron/v3
// `NewParser(SecondOptional | Minute | Hour | Dom | Month | Dow | Descriptor)`: 5 fields, or 6 with
// a leading seconds field; `*`, `?`, lists, ranges, steps, month/day names; descriptors such as
// `@daily` and `@every 1h`; an optional `TZ=`/`CRON_TZ=` prefix. `parseCron` yields the schedule
// (robfig's SpecSchedule bit sets, or ConstantDelaySchedule for `@every`); `cronError` its error.
import { checkDuration } from '@jetprow/core';

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

/** One field's allowed values; `star` is robfig's starBit (`*` or `?` without a step > 1). */
export interface CronField {
  values: ReadonlySet<number>;
  star: boolean;
}

/** robfig getRange: the values of one comma-separated part, or its error. */
function parseRange(expr: string, b: Bounds): { values: number[]; star: boolean } | string {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] as string).split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
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
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  const values: number[] = [];
  for (let v = start; v <= end; v += step) values.push(v);
  return { values, star };
}

/** robfig getField: the union of a field's comma-separated ranges. */
function parseField(field: string, b: Bounds): CronField | string {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',').filter((r) => r !== '')) {
    const r = parseRange(expr, b);
    if (typeof r === 'string') return r;
    r.values.forEach((v) => values.add(v));
    star ||= r.star;
  }
  return { values, star };
}

const range = (b: Bounds, star: boolean): CronField => {
  const values = new Set<number>();
  for (let v = b.min; v <= b.max; v++) values.add(v);
  return { values, star };
};
const only = (v: number): CronField => ({ values: new Set([v]), star: false });

/** robfig's SpecSchedule (fields in `timeZone`), or ConstantDelaySchedule for `@every`. */
export type CronSchedule =
  | {
      kind: 'spec';
      second: CronField;
      minute: CronField;
      hour: CronField;
      dom: CronField;
      month: CronField;
      dow: CronField;
      /** IANA zone from a `TZ=`/`CRON_TZ=` prefix; undefined means UTC. */
      timeZone?: string;
    }
  | {
      kind: 'every';
      /** Whole seconds, at least one (robfig rounds `@every` down to the second). */
      everyMs: number;
      timeZone?: string;
    };

function descriptor(spec: string, timeZone: string | undefined): CronSchedule | string {
  const all = (b: Bounds): CronField => range(b, true);
  /** Second 0 and minute 0 (robfig's `1 << min`), with the given hour, dom, month and dow. */
  const at = (hour: CronField, dom: CronField, month: CronField, dow: CronField): CronSchedule => {
    const second = only(0);
    const minute = only(0);
    return { kind: 'spec', second, minute, hour, dom, month, dow, timeZone };
  };
  switch (spec) {
    case '@yearly':
    case '@annually':
      return at(only(0), only(1), only(1), all(DOW));
    case '@monthly':
      return at(only(0), only(1), all(MONTHS), all(DOW));
    case '@weekly':
      return at(only(0), all(DOM), all(MONTHS), only(0));
    case '@daily':
    case '@midnight':
      return at(only(0), all(DOM), all(MONTHS), all(DOW));
    case '@hourly':
      return at(all(HOURS), all(DOM), all(MONTHS), all(DOW));
  }
  if (spec.startsWith('@every ')) {
    const text = spec.slice('@every '.length);
    const d = checkDuration(text);
    if ('error' in d) return `failed to parse duration ${spec}: ${d.error}`;
    const ms = Math.max(1000, Math.floor(d.ms / 1000) * 1000);
    return { kind: 'every', everyMs: ms, timeZone };
  }
  return `unrecognized descriptor: ${spec}`;
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

/** Parses `spec` as Prow's robfig parser does: the schedule, or robfig's error text. */
export function parseCron(input: string): { schedule: CronSchedule } | { error: string } {
  let spec = input;
  let timeZone: string | undefined;
  if (spec.length === 0) return { error: 'empty spec string' };
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const sp = spec.indexOf(' ');
    if (sp < 0) {
      return {
        error: `provided bad location ${spec.slice(spec.indexOf('=') + 1)}: missing schedule`,
      };
    }
    const tz = spec.slice(spec.indexOf('=') + 1, sp);
    if (!validTimeZone(tz))
      return { error: `provided bad location ${tz}: unknown time zone ${tz}` };
    if (tz !== 'UTC' && tz !== '' && tz !== 'Local') timeZone = tz;
    spec = spec.slice(sp).trim();
  }
  if (spec.startsWith('@')) {
    const d = descriptor(spec, timeZone);
    return typeof d === 'string' ? { error: d } : { schedule: d };
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length < 5 || fields.length > 6) {
    return { error: `expected 5 to 6 fields, found ${fields.length}: [${fields.join(' ')}]` };
  }
  if (fields.length === 5) fields.unshift('0');
  const parsed: CronField[] = [];
  for (let i = 0; i < 6; i++) {
    const f = parseField(fields[i] as string, FIELDS[i] as Bounds);
    if (typeof f === 'string') return { error: f };
    parsed.push(f);
  }
  const [second, minute, hour, dom, month, dow] = parsed as [
    CronField,
    CronField,
    CronField,
    CronField,
    CronField,
    CronField,
  ];
  return { schedule: { kind: 'spec', second, minute, hour, dom, month, dow, timeZone } };
}

/** Returns robfig/cron's error for `spec`, or undefined if Prow would accept it. */
export function cronError(input: string): string | undefined {
  const r = parseCron(input);
  return 'error' in r ? r.error : undefined;
}
