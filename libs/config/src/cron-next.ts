// When a cron schedule fires next: robfig/cron/v3 SpecSchedule.Next and ConstantDelaySchedule.Next,
// evaluated on the wall clock of the schedule's time zone (UTC unless `TZ=` / `CRON_TZ=` is given).
import type { CronField, CronSchedule } from './cron.js';

type Spec = Extract<CronSchedule, { kind: 'spec' }>;

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `ms` in `timeZone`, expressed as if it were UTC. */
function toWall(ms: number, timeZone: string | undefined): number {
  if (!timeZone) return ms;
  let fmt = zoneFormats.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, fmt);
  }
  const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall + (ms % 1000);
}

/** The instant whose wall clock in `timeZone` is `wall` (the later one across a DST gap). */
function fromWall(wall: number, timeZone: string | undefined): number {
  if (!timeZone) return wall;
  let guess = wall;
  for (let i = 0; i < 3; i++) guess = wall - (toWall(guess, timeZone) - guess);
  return guess;
}

const has = (f: CronField, v: number): boolean => f.values.has(v);

/** robfig dayMatches: with a `*` in day-of-month or day-of-week both must match, else either. */
function dayMatches(s: Spec, t: Date): boolean {
  const domMatch = has(s.dom, t.getUTCDate());
  const dowMatch = has(s.dow, t.getUTCDay());
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/** SpecSchedule.Next: the first activation strictly after `after` (undefined if none in 5 years). */
function nextSpec(s: Spec, after: number): number | undefined {
  let t = new Date(Math.floor(toWall(after, s.timeZone) / 1000) * 1000 + 1000);
  let added = false;
  const yearLimit = t.getUTCFullYear() + 5;
  const set = (y: number, mo: number, d: number, h: number, mi: number, sec: number): Date =>
    new Date(Date.UTC(y, mo, d, h, mi, sec));
  wrap: for (;;) {
    if (t.getUTCFullYear() > yearLimit) return undefined;
    while (!has(s.month, t.getUTCMonth() + 1)) {
      if (!added) {
        added = true;
        t = set(t.getUTCFullYear(), t.getUTCMonth(), 1, 0, 0, 0);
      }
      const [y, mo, d] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
      t = set(y, mo + 1, d, t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
      if (t.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(s, t)) {
      if (!added) {
        added = true;
        t = set(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), 0, 0, 0);
      }
      t = new Date(t.getTime() + 86_400_000);
      if (t.getUTCDate() === 1) continue wrap;
    }
    while (!has(s.hour, t.getUTCHours())) {
      if (!added) {
        added = true;
        t = set(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCHours(), 0, 0);
      }
      t = new Date(t.getTime() + 3_600_000);
      if (t.getUTCHours() === 0) continue wrap;
    }
    while (!has(s.minute, t.getUTCMinutes())) {
      if (!added) {
        added = true;
        t = new Date(Math.floor(t.getTime() / 60_000) * 60_000);
      }
      t = new Date(t.getTime() + 60_000);
      if (t.getUTCMinutes() === 0) continue wrap;
    }
    while (!has(s.second, t.getUTCSeconds())) {
      if (!added) {
        added = true;
        t = new Date(Math.floor(t.getTime() / 1000) * 1000);
      }
      t = new Date(t.getTime() + 1000);
      if (t.getUTCSeconds() === 0) continue wrap;
    }
    return fromWall(t.getTime(), s.timeZone);
  }
}

/**
 * The schedule's next activation strictly after `after`. `@every D` fires at `anchor + k·D`
 * (robfig counts from when the entry was added; pass that time as `anchor`, default `after`).
 */
export function nextCronTime(schedule: CronSchedule, after: Date, anchor?: Date): Date | undefined {
  if (schedule.kind === 'every') {
    const base = Math.floor((anchor ?? after).getTime() / 1000) * 1000;
    const k = Math.max(0, Math.floor((after.getTime() - base) / schedule.everyMs) + 1);
    return new Date(base + k * schedule.everyMs);
  }
  const next = nextSpec(schedule, after.getTime());
  return next === undefined ? undefined : new Date(next);
}

/** Whether (and when first) the schedule fired in (`after`, `upTo`]. */
export function cronFiredBetween(
  schedule: CronSchedule,
  after: Date,
  upTo: Date,
  anchor?: Date,
): Date | undefined {
  const next = nextCronTime(schedule, after, anchor);
  return next !== undefined && next.getTime() <= upTo.getTime() ? next : undefined;
}
