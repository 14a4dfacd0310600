import { describe, expect, it } from 'vitest';
import { cronFiredBetween, nextCronTime } from './cron-next.js';
import { parseCron, type CronSchedule } from './cron.js';

const schedule = (spec: string): CronSchedule => {
  const r = parseCron(spec);
  if ('error' in r) throw new Error(r.error);
  return r.schedule;
};
const at = (iso: string): Date => new Date(iso);

// robfig/cron/v3 SpecSchedule.Next as Prow's horologium uses it (2026-01-01 is a Thursday).
describe('nextCronTime (robfig/cron/v3 Next)', () => {
  const cases: {
    name: string;
    spec: string;
    after: string;
    want: string | undefined;
    anchor?: string;
  }[] = [
    {
      name: 'daily at 03:00, just before',
      spec: '0 3 * * *',
      after: '2026-01-01T02:59:59Z',
      want: '2026-01-01T03:00:00Z',
    },
    {
      name: 'strictly after: at 03:00 the next one is tomorrow',
      spec: '0 3 * * *',
      after: '2026-01-01T03:00:00Z',
      want: '2026-01-02T03:00:00Z',
    },
    {
      name: 'a sub-second after counts from the next second',
      spec: '* * * * * *',
      after: '2026-01-01T00:00:00.400Z',
      want: '2026-01-01T00:00:01Z',
    },
    {
      name: 'steps',
      spec: '*/15 * * * *',
      after: '2026-01-01T10:07:30Z',
      want: '2026-01-01T10:15:00Z',
    },
    {
      name: 'six fields: leading seconds',
      spec: '30 0 3 * * *',
      after: '2026-01-01T00:00:00Z',
      want: '2026-01-01T03:00:30Z',
    },
    {
      name: 'ranges and lists of hours',
      spec: '0 8-10,20 * * *',
      after: '2026-01-01T10:30:00Z',
      want: '2026-01-01T20:00:00Z',
    },
    {
      name: 'month names roll into the next year',
      spec: '0 0 1 JAN *',
      after: '2026-01-01T00:00:00Z',
      want: '2027-01-01T00:00:00Z',
    },
    {
      name: 'day of week only (dom is *): and',
      spec: '0 0 * * 5',
      after: '2026-01-01T00:00:00Z',
      want: '2026-01-02T00:00:00Z',
    },
    {
      name: 'day of month only (dow is *): and',
      spec: '0 0 13 * *',
      after: '2026-01-01T00:00:00Z',
      want: '2026-01-13T00:00:00Z',
    },
    {
      name: 'both dom and dow restricted: either matches',
      spec: '0 0 13 * 5',
      after: '2026-01-01T00:00:00Z',
      want: '2026-01-02T00:00:00Z',
    },
    {
      name: '@hourly',
      spec: '@hourly',
      after: '2026-01-01T10:00:00Z',
      want: '2026-01-01T11:00:00Z',
    },
    { name: '@daily', spec: '@daily', after: '2026-01-01T10:00:00Z', want: '2026-01-02T00:00:00Z' },
    {
      name: '@weekly is Sunday midnight',
      spec: '@weekly',
      after: '2026-01-01T12:00:00Z',
      want: '2026-01-04T00:00:00Z',
    },
    {
      name: '@monthly',
      spec: '@monthly',
      after: '2026-01-15T00:00:00Z',
      want: '2026-02-01T00:00:00Z',
    },
    {
      name: '@yearly',
      spec: '@yearly',
      after: '2026-03-01T00:00:00Z',
      want: '2027-01-01T00:00:00Z',
    },
    {
      name: 'no activation within five years: none',
      spec: '0 0 30 2 *',
      after: '2026-01-01T00:00:00Z',
      want: undefined,
    },
    {
      name: 'TZ= prefix: 09:00 in New York is 14:00 UTC in winter',
      spec: 'TZ=America/New_York 0 9 * * *',
      after: '2026-01-01T00:00:00Z',
      want: '2026-01-01T14:00:00Z',
    },
    {
      name: 'CRON_TZ= prefix in summer time',
      spec: 'CRON_TZ=Europe/Berlin 0 9 * * *',
      after: '2026-07-01T00:00:00Z',
      want: '2026-07-01T07:00:00Z',
    },
    {
      name: '@every counts from its anchor',
      spec: '@every 90m',
      anchor: '2026-01-01T10:00:00Z',
      after: '2026-01-01T10:00:00Z',
      want: '2026-01-01T11:30:00Z',
    },
    {
      name: '@every: the anchor itself is the first activation',
      spec: '@every 1h',
      anchor: '2026-01-01T10:00:00Z',
      after: '2026-01-01T09:59:00Z',
      want: '2026-01-01T10:00:00Z',
    },
    {
      name: '@every rounds down to whole seconds (1500ms → 1s)',
      spec: '@every 1500ms',
      anchor: '2026-01-01T10:00:00Z',
      after: '2026-01-01T10:00:00Z',
      want: '2026-01-01T10:00:01Z',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const next = nextCronTime(
        schedule(tc.spec),
        at(tc.after),
        tc.anchor ? at(tc.anchor) : undefined,
      );
      expect(next?.toISOString()).toBe(
        tc.want === undefined ? undefined : at(tc.want).toISOString(),
      );
    });
  }

  it('cronFiredBetween: a firing in (after, upTo] is reported, none outside', () => {
    const hourly = schedule('0 * * * *');
    expect(
      cronFiredBetween(
        hourly,
        at('2026-01-01T10:30:00Z'),
        at('2026-01-01T11:10:00Z'),
      )?.toISOString(),
    ).toBe('2026-01-01T11:00:00.000Z');
    expect(
      cronFiredBetween(hourly, at('2026-01-01T10:30:00Z'), at('2026-01-01T10:59:59Z')),
    ).toBeUndefined();
    expect(
      cronFiredBetween(hourly, at('2026-01-01T10:30:00Z'), at('2026-01-01T11:00:00Z')),
    ).toBeDefined();
  });
});
