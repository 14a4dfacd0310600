// horologium's rules (cmd/horologium/main.go sync, shouldTriggerFailedRun), one row each.
import { describe, expect, it } from 'vitest';
import type { ProwJob } from '@jetprow/schemas';
import { decideRuns, latestRuns, RERUN_LABEL } from './decide.js';
import { loadTestConfig, periodicRun } from '../../testing/periodics.js';

const cfg = loadTestConfig(`
periodics:
- name: every-hour
  interval: 1h
  labels: {team: infra}
  spec: {containers: [{image: x, command: ["true"]}]}
- name: min-hour
  minimum_interval: 1h
  spec: {containers: [{image: x, command: ["true"]}]}
- name: nightly
  cron: "0 3 * * *"
  spec: {containers: [{image: x, command: ["true"]}]}
- name: flaky
  interval: 24h
  retry: {attempts: 2, interval: 10m}
  spec: {containers: [{image: x, command: ["true"]}]}
- name: flaky-all
  interval: 24h
  retry: {attempts: 20, interval: 10m, run_all: true}
  spec: {containers: [{image: x, command: ["true"]}]}
`);
const periodic = (name: string) => cfg.jobs.periodics.filter((p) => p.name === name);
const NOW = new Date('2026-01-01T12:00:00Z');
const T = (hhmm: string) => `2026-01-01T${hhmm}:00Z`;

function decide(name: string, runs: ProwJob[], fired?: Date) {
  return decideRuns({
    periodics: periodic(name),
    latest: latestRuns(runs),
    cronFired: new Map(fired ? [[name, fired]] : []),
    now: NOW,
  });
}

describe('horologium: interval and minimum_interval', () => {
  const cases: { name: string; job: string; runs: ProwJob[]; want: string[] }[] = [
    { name: 'no previous run: start now', job: 'every-hour', runs: [], want: ['first-run'] },
    {
      name: 'previous complete and started more than interval ago: run',
      job: 'every-hour',
      runs: [periodicRun('every-hour', { start: T('10:59'), completion: T('11:30') })],
      want: ['interval'],
    },
    {
      name: 'exactly interval since the start: not yet (strictly greater)',
      job: 'every-hour',
      runs: [periodicRun('every-hour', { start: T('11:00'), completion: T('11:10') })],
      want: [],
    },
    {
      name: 'previous unfinished: wait, however overdue',
      job: 'every-hour',
      runs: [periodicRun('every-hour', { start: T('01:00') })],
      want: [],
    },
    {
      name: 'the newest run decides, not an older one',
      job: 'every-hour',
      runs: [
        periodicRun('every-hour', { start: T('01:00'), completion: T('01:10') }),
        periodicRun('every-hour', { start: T('11:30') }),
      ],
      want: [],
    },
    {
      name: 'minimum_interval counts from the completion time',
      job: 'min-hour',
      runs: [periodicRun('min-hour', { start: T('09:00'), completion: T('11:30') })],
      want: [],
    },
    {
      name: 'minimum_interval: run once completion + minimum_interval passed',
      job: 'min-hour',
      runs: [periodicRun('min-hour', { start: T('09:00'), completion: T('10:59') })],
      want: ['minimum-interval'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(decide(tc.job, tc.runs).map((r) => r.slot)).toEqual(tc.want));
  }

  it("a run carries the periodic's labels and names the run it follows", () => {
    const prev = periodicRun('every-hour', {
      start: T('10:00'),
      completion: T('10:05'),
      name: 'prev',
    });
    const [run] = decide('every-hour', [prev]);
    expect(run).toMatchObject({ previous: 'prev', labels: { team: 'infra' }, reason: 'interval' });
  });
});

describe('horologium: cron', () => {
  const fired = new Date('2026-01-01T03:00:00Z');
  const cases: { name: string; runs: ProwJob[]; fired?: Date; want: string[] }[] = [
    {
      name: 'fired and the previous run is complete: run for that firing',
      runs: [
        periodicRun('nightly', {
          start: '2025-12-31T03:00:00Z',
          completion: '2025-12-31T04:00:00Z',
        }),
      ],
      fired,
      want: ['cron@2026-01-01T03:00:00.000Z'],
    },
    {
      name: 'fired while the previous run is unfinished: the firing is dropped',
      runs: [periodicRun('nightly', { start: '2025-12-31T03:00:00Z' })],
      fired,
      want: [],
    },
    {
      name: 'fired and no previous run: run',
      runs: [],
      fired,
      want: ['cron@2026-01-01T03:00:00.000Z'],
    },
    { name: 'not fired: nothing, even without a previous run', runs: [], want: [] },
  ];
  for (const tc of cases) {
    it(tc.name, () =>
      expect(decide('nightly', tc.runs, tc.fired).map((r) => r.slot)).toEqual(tc.want),
    );
  }
});

describe('horologium: retry of failed periodics', () => {
  const failed = (labels?: Record<string, string>) =>
    periodicRun('flaky', { start: T('11:00'), completion: T('11:20'), state: 'failure', labels });
  const cases: { name: string; job?: string; prev: ProwJob; want: string | undefined }[] = [
    {
      name: 'a failed run is retried once retry.interval passed, as attempt 1',
      prev: failed(),
      want: '1',
    },
    {
      name: 'the attempt number counts up from the re-run label',
      prev: failed({ [RERUN_LABEL]: '1' }),
      want: '2',
    },
    {
      name: 'no retry beyond retry.attempts',
      prev: failed({ [RERUN_LABEL]: '2' }),
      want: undefined,
    },
    {
      name: 'attempts are capped at 10',
      job: 'flaky-all',
      prev: periodicRun('flaky-all', {
        start: T('11:00'),
        completion: T('11:20'),
        state: 'failure',
        labels: { [RERUN_LABEL]: '10' },
      }),
      want: undefined,
    },
    {
      name: 'not before retry.interval since the start',
      prev: periodicRun('flaky', { start: T('11:55'), completion: T('11:56'), state: 'failure' }),
      want: undefined,
    },
    {
      name: 'a success is not retried',
      prev: periodicRun('flaky', { start: T('11:00'), completion: T('11:20'), state: 'success' }),
      want: undefined,
    },
    {
      name: 'run_all retries successes too',
      job: 'flaky-all',
      prev: periodicRun('flaky-all', {
        start: T('11:00'),
        completion: T('11:20'),
        state: 'success',
      }),
      want: '1',
    },
    {
      name: 'run_all retries unfinished runs too',
      job: 'flaky-all',
      prev: periodicRun('flaky-all', { start: T('11:00') }),
      want: '1',
    },
    {
      name: 'a malformed re-run label stops retries',
      prev: failed({ [RERUN_LABEL]: 'x' }),
      want: undefined,
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const runs = decide(tc.job ?? 'flaky', [tc.prev]);
      expect(runs[0]?.labels[RERUN_LABEL]).toBe(tc.want);
      if (tc.want) expect(runs[0]).toMatchObject({ reason: 'retry', slot: `retry-${tc.want}` });
      else expect(runs).toEqual([]);
    });
  }
});

describe('latestRuns (pjutil.GetLatestProwJobs)', () => {
  it('keeps the newest periodic run by startTime per job and ignores other types', () => {
    const a = periodicRun('j', { start: T('01:00'), name: 'a' });
    const b = periodicRun('j', { start: T('02:00'), name: 'b' });
    const other = { ...periodicRun('j', { start: T('03:00'), name: 'c' }) };
    other.spec = { ...other.spec, type: 'postsubmit' };
    expect(latestRuns([b, a, other]).get('j')?.metadata.name).toBe('b');
  });
});
