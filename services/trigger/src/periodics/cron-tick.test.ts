// Which crons fired since the last tick (Prow's pkg/cron entries, persisted here).
import { describe, expect, it } from 'vitest';
import { cronTick, type HorologiumState } from './cron-tick.js';
import { loadTestConfig } from '../../testing/periodics.js';

const cfg = loadTestConfig(`
periodics:
- name: hourly
  cron: "0 * * * *"
  spec: {containers: [{image: x, command: ["true"]}]}
- name: every-10m
  cron: "@every 10m"
  spec: {containers: [{image: x, command: ["true"]}]}
- name: by-interval
  interval: 1h
  spec: {containers: [{image: x, command: ["true"]}]}
`);
const periodics = cfg.jobs.periodics;
const at = (hhmm: string) => new Date(`2026-01-01T${hhmm}:00Z`);
const entries = (since: string): HorologiumState['crons'] => ({
  hourly: { cron: '0 * * * *', since },
  'every-10m': { cron: '@every 10m', since },
});
const fired = (state: HorologiumState, now: Date) =>
  Object.fromEntries(
    [...cronTick(state, periodics, now).fired].map(([k, v]) => [k, v.toISOString().slice(11, 16)]),
  );

describe('cron entries across ticks', () => {
  it('a cron seen for the first time does not fire; @every fires right away (Prow adds it triggered)', () => {
    expect(fired({ crons: {} }, at('10:30'))).toEqual({ 'every-10m': '10:30' });
  });

  it('a cron that fired since the last tick is reported with its firing time', () => {
    const state = { last_tick: '2026-01-01T10:59:00Z', crons: entries('2026-01-01T09:00:00Z') };
    expect(fired(state, at('11:00'))).toEqual({ hourly: '11:00', 'every-10m': '11:00' });
  });

  it('@every fires every period from when its entry was added', () => {
    const state = { last_tick: '2026-01-01T09:09:00Z', crons: entries('2026-01-01T09:00:00Z') };
    expect(fired(state, at('09:10'))).toEqual({ 'every-10m': '09:10' });
  });

  it('nothing fired since the last tick: nothing reported', () => {
    const state = { last_tick: '2026-01-01T11:00:00Z', crons: entries('2026-01-01T09:00:00Z') };
    expect(fired(state, at('11:01'))).toEqual({});
  });

  it('after an outage every missed firing collapses into one (no backlog)', () => {
    const state = { last_tick: '2026-01-01T01:30:00Z', crons: entries('2026-01-01T00:00:00Z') };
    expect(fired(state, at('11:45'))).toEqual({ hourly: '02:00', 'every-10m': '01:40' });
  });

  it('a changed cron string re-creates the entry (no firing this tick)', () => {
    const state = {
      last_tick: '2026-01-01T10:59:00Z',
      crons: {
        ...entries('2026-01-01T09:00:00Z'),
        hourly: { cron: '30 * * * *', since: '2026-01-01T09:00:00Z' },
      },
    };
    const tick = cronTick(state, periodics, at('11:00'));
    expect(tick.fired.has('hourly')).toBe(false);
    expect(tick.crons.hourly).toEqual({ cron: '0 * * * *', since: '2026-01-01T11:00:00.000Z' });
  });

  it('entries of periodics no longer in the config are dropped; interval periodics have none', () => {
    const state = {
      last_tick: '2026-01-01T10:00:00Z',
      crons: {
        ...entries('2026-01-01T09:00:00Z'),
        gone: { cron: '* * * * *', since: '2026-01-01T09:00:00Z' },
      },
    };
    expect(Object.keys(cronTick(state, periodics, at('10:01')).crons).sort()).toEqual([
      'every-10m',
      'hourly',
    ]);
  });

  it('a cron that does not parse is reported, not fired', () => {
    const bad = [{ ...periodics[0]!, name: 'bad', cron: '61 * * * *' }];
    expect(cronTick({ crons: {} }, bad, at('10:00')).errors).toEqual([
      { name: 'bad', error: 'end of range (61) above maximum (59): 61' },
    ]);
  });
});
