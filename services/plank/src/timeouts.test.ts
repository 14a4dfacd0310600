// Pod timeouts: config.yaml's `plank:` (parsed by the loader), overridden per job by
// decoration_config. (The loader's defaults and parsing are tested in libs/config.)
import { describe, expect, it } from 'vitest';
import { defaultProwConfig } from '@jetprow/config';
import { newProwJob, periodicSpec } from '@jetprow/core';
import { jobTimeouts } from './timeouts.js';

const MIN = 60_000;

describe('jobTimeouts: decoration_config overrides plank’s timeouts per job', () => {
  const s = defaultProwConfig().plank;
  const cases = [
    {
      name: 'no decoration_config → plank’s',
      dc: undefined,
      want: { pendingMs: 10 * MIN, unscheduledMs: 5 * MIN, runningMs: 2880 * MIN },
    },
    {
      name: 'every timeout set (Go duration strings, as Go writes them)',
      dc: {
        pod_pending_timeout: '15m0s',
        pod_unscheduled_timeout: '1m',
        pod_running_timeout: '3h',
      },
      want: { pendingMs: 15 * MIN, unscheduledMs: MIN, runningMs: 180 * MIN },
    },
    {
      name: 'one set, the others plank’s',
      dc: { pod_running_timeout: '30m' },
      want: { pendingMs: 10 * MIN, unscheduledMs: 5 * MIN, runningMs: 30 * MIN },
    },
    {
      name: 'nanoseconds (a raw time.Duration)',
      dc: { pod_pending_timeout: 60e9 },
      want: { pendingMs: MIN, unscheduledMs: 5 * MIN, runningMs: 2880 * MIN },
    },
    {
      name: 'an unparsable value → plank’s',
      dc: { pod_pending_timeout: 'soon' },
      want: { pendingMs: 10 * MIN, unscheduledMs: 5 * MIN, runningMs: 2880 * MIN },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const pj = newProwJob(periodicSpec({ name: 'ci', decoration_config: tc.dc }), {
        name: 'j',
        now: new Date(0),
      });
      expect(jobTimeouts(pj, s)).toEqual(tc.want);
    });
  }
});
