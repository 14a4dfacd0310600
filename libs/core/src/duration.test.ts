import { describe, expect, it } from 'vitest';
import { parseDuration, parseDurationNs } from './duration.js';
import { parseGoDuration } from './go-template/duration.js';

// Cases from Go's src/time/time_test.go (parseDurationTests / parseDurationErrorTests).
describe('parseDuration (Go time.ParseDuration)', () => {
  const ok: { name: string; in: string; ms: number }[] = [
    { name: 'zero without unit', in: '0', ms: 0 },
    { name: 'seconds', in: '5s', ms: 5000 },
    { name: 'long', in: '30s', ms: 30_000 },
    { name: 'large', in: '1478s', ms: 1_478_000 },
    { name: 'minus sign', in: '-5s', ms: -5000 },
    { name: 'plus sign', in: '+5s', ms: 5000 },
    { name: 'minus zero', in: '-0', ms: -0 },
    { name: 'plus zero', in: '+0', ms: 0 },
    { name: 'decimal', in: '5.0s', ms: 5000 },
    { name: 'fraction', in: '5.6s', ms: 5600 },
    { name: 'trailing dot', in: '5.s', ms: 5000 },
    { name: 'leading dot', in: '.5s', ms: 500 },
    { name: 'fraction with zeros', in: '1.004s', ms: 1004 },
    { name: 'nanoseconds', in: '10ns', ms: 0.00001 },
    { name: 'microseconds us', in: '11us', ms: 0.011 },
    { name: 'microseconds µs (U+00B5)', in: '12µs', ms: 0.012 },
    { name: 'microseconds μs (U+03BC)', in: '12μs', ms: 0.012 },
    { name: 'milliseconds', in: '13ms', ms: 13 },
    { name: 'minutes', in: '15m', ms: 900_000 },
    { name: 'hours', in: '16h', ms: 57_600_000 },
    { name: 'composite', in: '3h30m', ms: 12_600_000 },
    { name: 'composite with fractions', in: '10.5s4m', ms: 250_500 },
    { name: 'negative composite', in: '-2m3.4s', ms: -123_400 },
    { name: 'all units', in: '1h2m3s4ms5us6ns', ms: 3_723_004.005006 },
    { name: 'fractional hour', in: '1.5h', ms: 5_400_000 },
    { name: 'week of hours (sinker default)', in: '168h', ms: 604_800_000 },
    { name: 'largest', in: '9223372036854775807ns', ms: 9223372036854.775807 },
  ];
  for (const tc of ok) {
    it(tc.name, () => {
      expect(parseDuration(tc.in)).toBeCloseTo(tc.ms, 6);
    });
  }

  const bad: { name: string; in: string; error: string }[] = [
    { name: 'empty', in: '', error: 'time: invalid duration ""' },
    { name: 'number without unit', in: '3', error: 'time: missing unit in duration "3"' },
    { name: 'sign only', in: '-', error: 'time: invalid duration "-"' },
    { name: 'unit only', in: 's', error: 'time: invalid duration "s"' },
    { name: 'dot only', in: '.', error: 'time: invalid duration "."' },
    { name: 'signed dot', in: '-.', error: 'time: invalid duration "-."' },
    { name: 'dot unit', in: '.s', error: 'time: invalid duration ".s"' },
    { name: 'plus dot unit', in: '+.s', error: 'time: invalid duration "+.s"' },
    { name: 'unknown unit', in: '3x', error: 'time: unknown unit "x" in duration "3x"' },
    { name: 'days are not a unit', in: '1d', error: 'time: unknown unit "d" in duration "1d"' },
    { name: 'space inside', in: '1h 30m', error: 'time: unknown unit "h " in duration "1h 30m"' },
    {
      name: 'overflow',
      in: '9223372036854775808ns',
      error: 'time: invalid duration "9223372036854775808ns"',
    },
    { name: 'overflow hours', in: '3000000h', error: 'time: invalid duration "3000000h"' },
  ];
  for (const tc of bad) {
    it(`rejects ${tc.name}`, () => {
      expect(() => parseDuration(tc.in)).toThrow(tc.error);
    });
  }

  it('keeps nanosecond precision in parseDurationNs', () => {
    expect(parseDurationNs('1h1ns')).toBe(3_600_000_000_001n);
    expect(parseDurationNs('-9223372036854775808ns')).toBe(-(2n ** 63n));
  });
});

describe('parseGoDuration (a Prow Duration: Go string or nanoseconds)', () => {
  it('parses as time.ParseDuration does, in nanoseconds', () => {
    expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500_000_000);
    expect(parseGoDuration('-1.5ms')).toBe(-1_500_000);
  });
  it('takes a number as nanoseconds, and unset or empty as 0', () => {
    expect(parseGoDuration(7_200_000_000_000)).toBe(7_200_000_000_000);
    expect(parseGoDuration(undefined)).toBe(0);
    expect(parseGoDuration('')).toBe(0);
  });
  it('is NaN where time.ParseDuration errs', () => {
    for (const bad of ['soon', '3', '1d', '1h 30m', '9223372036854775808ns']) {
      expect(parseGoDuration(bad)).toBeNaN();
    }
  });
});
