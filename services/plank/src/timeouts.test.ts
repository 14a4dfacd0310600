// Pod timeouts: config.yaml's `plank:` mapped to settings, overridden per job by decoration_config.
import { describe, expect, it } from 'vitest';
import { defaultProwConfig } from '@jetprow/config';
import { newProwJob, periodicSpec } from '@jetprow/core';
import { resolveSettings, settingsFromPlankConfig } from './settings.js';
import { jobTimeouts } from './timeouts.js';

const MIN = 60_000;

describe('settingsFromPlankConfig', () => {
  it('Prow’s defaults: 10 m pending, 5 m unscheduled, 48 h running, 3 revivals, no limits', () => {
    const s = resolveSettings(settingsFromPlankConfig(defaultProwConfig().plank));
    expect(s).toMatchObject({
      podPendingTimeoutMs: 10 * MIN,
      podUnscheduledTimeoutMs: 5 * MIN,
      podRunningTimeoutMs: 48 * 60 * MIN,
      maxRevivals: 3,
      maxConcurrency: 0,
      jobQueueCapacities: {},
    });
  });

  it('takes the configured values', () => {
    const plank = {
      ...defaultProwConfig().plank,
      pod_pending_timeout: '1h30m',
      pod_unscheduled_timeout: '90s',
      pod_running_timeout: '2h',
      max_revivals: 1,
      max_concurrency: 40,
      job_queue_capacities: { heavy: 2 },
    };
    expect(settingsFromPlankConfig(plank)).toEqual({
      podPendingTimeoutMs: 90 * MIN,
      podUnscheduledTimeoutMs: 1.5 * MIN,
      podRunningTimeoutMs: 120 * MIN,
      maxRevivals: 1,
      maxConcurrency: 40,
      jobQueueCapacities: { heavy: 2 },
    });
  });
});

describe('jobTimeouts: decoration_config overrides plank’s timeouts per job', () => {
  const s = resolveSettings({});
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
