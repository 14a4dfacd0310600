import { describe, expect, it } from 'vitest';
import { cronError } from './cron.js';

// Prow parses periodic `cron` with robfig/cron/v3:
// NewParser(SecondOptional | Minute | Hour | Dom | Month | Dow | Descriptor).
describe('cronError (robfig/cron/v3 as configured by Prow)', () => {
  const valid = [
    { name: 'five fields', spec: '0 3 * * *' },
    { name: 'six fields with seconds', spec: '30 0 3 * * *' },
    { name: 'steps', spec: '*/15 * * * *' },
    { name: 'ranges with steps', spec: '0 8-18/2 * * 1-5' },
    { name: 'lists', spec: '0 1,13 * * *' },
    { name: 'month and day names', spec: '0 0 1 JAN,jul sun' },
    { name: 'question mark', spec: '0 0 ? * *' },
    { name: 'single value with step means to max', spec: '5/10 * * * *' },
    { name: '@daily', spec: '@daily' },
    { name: '@midnight', spec: '@midnight' },
    { name: '@hourly', spec: '@hourly' },
    { name: '@weekly', spec: '@weekly' },
    { name: '@monthly', spec: '@monthly' },
    { name: '@yearly', spec: '@yearly' },
    { name: '@annually', spec: '@annually' },
    { name: '@every duration', spec: '@every 1h30m' },
    { name: 'time zone prefix', spec: 'TZ=America/New_York 0 9 * * *' },
    { name: 'CRON_TZ prefix', spec: 'CRON_TZ=UTC 0 9 * * *' },
    { name: 'extra whitespace', spec: ' 0  3 * * * ' },
  ];
  for (const tc of valid) {
    it(`accepts ${tc.name}`, () => expect(cronError(tc.spec)).toBeUndefined());
  }

  const invalid = [
    { name: 'empty', spec: '', error: 'empty spec string' },
    { name: 'four fields', spec: '0 3 * *', error: 'expected 5 to 6 fields, found 4' },
    { name: 'seven fields', spec: '0 0 3 * * * 2025', error: 'expected 5 to 6 fields, found 7' },
    {
      name: 'minute out of range',
      spec: '60 * * * *',
      error: 'end of range (60) above maximum (59)',
    },
    { name: 'hour out of range', spec: '0 24 * * *', error: 'above maximum (23)' },
    { name: 'day of month zero', spec: '0 0 0 * *', error: 'below minimum (1)' },
    { name: 'day of week 7 (robfig allows 0-6)', spec: '0 0 * * 7', error: 'above maximum (6)' },
    { name: 'reversed range', spec: '0 5-1 * * *', error: 'beyond end of range' },
    { name: 'zero step', spec: '*/0 * * * *', error: 'step of range should be a positive number' },
    { name: 'junk', spec: '0 0 * * mon-fri-sat', error: 'too many hyphens' },
    { name: 'bad name', spec: '0 0 * foo *', error: 'failed to parse int from foo' },
    {
      name: 'unknown descriptor',
      spec: '@fortnightly',
      error: 'unrecognized descriptor: @fortnightly',
    },
    { name: 'bad @every', spec: '@every 1d', error: 'failed to parse duration @every 1d' },
    {
      name: 'bad time zone',
      spec: 'TZ=Mars/Olympus 0 9 * * *',
      error: 'provided bad location Mars/Olympus',
    },
  ];
  for (const tc of invalid) {
    it(`rejects ${tc.name}`, () => expect(cronError(tc.spec)).toContain(tc.error));
  }
});
