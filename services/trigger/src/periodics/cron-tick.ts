// Which cron periodics fired since the last tick (Prow's pkg/cron: robfig/cron entries, one per
// periodic, re-created when the cron string changes; `@every` entries fire as soon as added).
// Unlike Prow's in-memory cron, the entries and the last tick are persisted, so a restart neither
// loses a firing nor re-fires `@every` jobs; a long outage yields at most one firing per periodic.
import { cronFiredBetween, parseCron, type Periodic } from '@jetprow/config';

export interface CronEntry {
  cron: string;
  /** When this entry was added (the `@every` anchor; firings before it do not count). */
  since: string;
}

/** What horologium keeps between ticks. */
export interface HorologiumState {
  last_tick?: string;
  crons: Record<string, CronEntry>;
}

export interface CronTick {
  crons: Record<string, CronEntry>;
  /** Periodic name → the first firing in (last tick, now]. */
  fired: Map<string, Date>;
  /** Crons that do not parse (checkconfig rejects them; a running config may still hold one). */
  errors: { name: string; error: string }[];
}

export function cronTick(
  state: HorologiumState,
  periodics: readonly Periodic[],
  now: Date,
): CronTick {
  const crons: Record<string, CronEntry> = {};
  const fired = new Map<string, Date>();
  const errors: CronTick['errors'] = [];
  for (const p of periodics) {
    if (!p.cron) continue;
    const parsed = parseCron(p.cron);
    if ('error' in parsed) {
      errors.push({ name: p.name, error: parsed.error });
      continue;
    }
    const known = state.crons[p.name];
    if (!known || known.cron !== p.cron) {
      // A new (or changed) entry: robfig schedules it from now; `@every` fires right away.
      crons[p.name] = { cron: p.cron, since: now.toISOString() };
      if (parsed.schedule.kind === 'every') fired.set(p.name, now);
      continue;
    }
    crons[p.name] = known;
    const since = new Date(known.since);
    const lastTick = state.last_tick ? new Date(state.last_tick) : since;
    const from = lastTick.getTime() > since.getTime() ? lastTick : since;
    const at = cronFiredBetween(parsed.schedule, from, now, since);
    if (at) fired.set(p.name, at);
  }
  return { crons, fired, errors };
}
