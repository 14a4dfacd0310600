// Prow's syncPendingJob table (reference/prow.md §4.3), row by row, with an injected clock.
import { describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { BuildStatus } from '@jetprow/runner';
import type { ProwJob, ProwJobSpec, ProwJobStatus } from '@jetprow/schemas';
import { pendingDecision, unexpectedStopCause, type PendingDecision } from './pending-decision.js';

const NOW = Date.parse('2026-02-03T04:05:06.000Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const timeouts = { pendingMs: 10 * MIN, unscheduledMs: 5 * MIN, runningMs: 48 * HOUR };

function pj(status: Partial<ProwJobStatus> = {}, spec: Partial<ProwJobSpec> = {}): ProwJob {
  const p = newProwJob(
    { ...periodicSpec({ name: 'ci' }), ...spec },
    { name: 'j', now: new Date(0) },
  );
  p.status = { ...p.status, state: 'pending', build_id: 'b0', pendingTime: ago(HOUR), ...status };
  return p;
}

interface Case {
  name: string;
  build: BuildStatus;
  job?: ProwJob;
  maxRevivals?: number;
  want: PendingDecision;
}

const b = (phase: BuildStatus['phase'], facts: Partial<BuildStatus> = {}): BuildStatus => ({
  phase,
  buildId: 'b0',
  ...facts,
});
const err = (description: string, stopBuild = false): PendingDecision => ({
  kind: 'complete',
  state: 'error',
  description,
  stopBuild,
});

const cases: Case[] = [
  // pod missing
  {
    name: 'pod missing → a new pod (no revival counted)',
    build: { phase: 'missing' },
    want: { kind: 'start' },
  },
  {
    name: 'pod missing with every revival used → still a new pod (Prow recreates missing pods)',
    build: { phase: 'missing' },
    job: pj({ pod_revival_count: 3 }),
    want: { kind: 'start' },
  },
  // unexpected stops
  {
    name: 'OOMKilled while Running → error "Job pod was OOM killed by the cluster."',
    build: b('running', { disruption: 'OOMKilled' }),
    want: err('Job pod was OOM killed by the cluster.'),
  },
  {
    name: 'OOMKilled after the pod Failed → failure "Job failed." (only Running counts)',
    build: b('failed', { disruption: 'OOMKilled', exitCode: 137 }),
    want: { kind: 'complete', state: 'failure', description: 'Job failed.', stopBuild: false },
  },
  {
    name: 'Evicted with error_on_eviction → error "Job pod was evicted by the cluster."',
    build: b('failed', { disruption: 'Evicted' }),
    job: pj({}, { error_on_eviction: true }),
    want: err('Job pod was evicted by the cluster.'),
  },
  {
    name: 'Evicted → revived',
    build: b('failed', { disruption: 'Evicted' }),
    want: { kind: 'revive', cause: 'evicted' },
  },
  {
    name: 'Evicted with 3 of 3 revivals → error "Job pod reached max revivals (3) … (evicted)"',
    build: b('failed', { disruption: 'Evicted' }),
    job: pj({ pod_revival_count: 3 }),
    want: err('Job pod reached max revivals (3) after being stopped unexpectedly (evicted)'),
  },
  {
    name: 'NodeLost and being deleted → revived (cause unreachable)',
    build: b('running', { disruption: 'NodeLost', deleting: true }),
    want: { kind: 'revive', cause: 'unreachable' },
  },
  {
    name: 'NodeLost, not being deleted → not a stop: still running',
    build: b('running', { disruption: 'NodeLost' }),
    want: { kind: 'wait' },
  },
  {
    name: 'phase Unknown → revived (cause unknown)',
    build: b('unknown'),
    want: { kind: 'revive', cause: 'unknown' },
  },
  {
    name: 'phase Unknown with 2 of 2 revivals (max_revivals 2) → error "… (2) … (unknown)"',
    build: b('unknown'),
    job: pj({ pod_revival_count: 2 }),
    maxRevivals: 2,
    want: err('Job pod reached max revivals (2) after being stopped unexpectedly (unknown)'),
  },
  {
    name: 'a local build whose process vanished (lost) → revived like phase Unknown',
    build: { phase: 'missing', reason: 'lost', buildId: 'b0' },
    want: { kind: 'revive', cause: 'unknown' },
  },
  {
    name: 'a replaced build (older build id) stopped unexpectedly → removed, not counted again',
    build: b('failed', { disruption: 'Evicted', buildId: 'b-old' }),
    want: { kind: 'clear', remove: true },
  },
  {
    name: 'a replaced build already being deleted → wait for it to go',
    build: b('running', { disruption: 'NodeLost', deleting: true, buildId: 'b-old' }),
    want: { kind: 'clear', remove: false },
  },
  // ends
  {
    name: 'Succeeded, every container exited 0 → success "Job succeeded."',
    build: b('succeeded', { exitCode: 0, allContainersSucceeded: true }),
    want: { kind: 'complete', state: 'success', description: 'Job succeeded.', stopBuild: false },
  },
  {
    name: 'Succeeded but a container did not finish → error "Pod was in succeeded phase but …"',
    build: b('succeeded', { allContainersSucceeded: false }),
    want: err("Pod was in succeeded phase but some containers didn't finish"),
  },
  {
    name: 'Failed → failure "Job failed."',
    build: b('failed', { exitCode: 2 }),
    want: { kind: 'complete', state: 'failure', description: 'Job failed.', stopBuild: false },
  },
  {
    name: 'Succeeded while being deleted → success (complete before the deletion check)',
    build: b('succeeded', { exitCode: 0, deleting: true }),
    want: { kind: 'complete', state: 'success', description: 'Job succeeded.', stopBuild: false },
  },
  // pending timeouts
  {
    name: 'Pending, unscheduled for 4m59.999s → wait until the 5 m mark',
    build: b('pending', { createdAt: ago(5 * MIN - 1) }),
    want: { kind: 'wait', requeueAt: NOW + 1 },
  },
  {
    name: 'Pending, unscheduled for 5 m → error "Pod scheduling timeout." + pod deleted',
    build: b('pending', { createdAt: ago(5 * MIN) }),
    want: err('Pod scheduling timeout.', true),
  },
  {
    name: 'Pending, unscheduled, no creation time → the job’s pendingTime counts',
    build: b('pending'),
    job: pj({ pendingTime: ago(6 * MIN) }),
    want: err('Pod scheduling timeout.', true),
  },
  {
    name: 'Pending on a node for 9 m → wait until the 10 m mark',
    build: b('pending', { createdAt: ago(HOUR), startedAt: ago(9 * MIN) }),
    want: { kind: 'wait', requeueAt: NOW + MIN },
  },
  {
    name: 'Pending on a node for 10 m → error "Pod pending timeout." + pod deleted',
    build: b('pending', { createdAt: ago(HOUR), startedAt: ago(10 * MIN) }),
    want: err('Pod pending timeout.', true),
  },
  {
    name: 'Pending (in time) while being deleted → error "Pod got deleted unexpectedly"',
    build: b('pending', { createdAt: ago(MIN), deleting: true }),
    want: err('Pod got deleted unexpectedly'),
  },
  // running
  {
    name: 'Running for 47 h → wait until the 48 h mark',
    build: b('running', { startedAt: ago(47 * HOUR) }),
    want: { kind: 'wait', requeueAt: NOW + HOUR },
  },
  {
    name: 'Running for 48 h → aborted "Pod running timeout." + pod deleted',
    build: b('running', { startedAt: ago(48 * HOUR) }),
    want: {
      kind: 'complete',
      state: 'aborted',
      description: 'Pod running timeout.',
      stopBuild: true,
    },
  },
  {
    name: 'Running with no start time → wait (nothing to time)',
    build: b('running'),
    want: { kind: 'wait' },
  },
  {
    name: 'Running while being deleted → error "Pod got deleted unexpectedly"',
    build: b('running', { startedAt: ago(MIN), deleting: true }),
    want: err('Pod got deleted unexpectedly'),
  },
];

describe('pendingDecision: Prow syncPendingJob, row by row', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const ctx = { maxRevivals: tc.maxRevivals ?? 3, timeouts, now: NOW };
      expect(pendingDecision(tc.job ?? pj(), tc.build, ctx)).toEqual(tc.want);
    });
  }
});

describe('unexpectedStopCause: Prow getPodUnexpectedStopCause', () => {
  const causes: { name: string; build: BuildStatus; want: string | undefined }[] = [
    {
      name: 'Evicted whatever the phase',
      build: { phase: 'failed', disruption: 'Evicted' },
      want: 'evicted',
    },
    {
      name: 'NodeLost + deleting',
      build: { phase: 'running', disruption: 'NodeLost', deleting: true },
      want: 'unreachable',
    },
    {
      name: 'OOMKilled while Running',
      build: { phase: 'running', disruption: 'OOMKilled' },
      want: 'oomkilled',
    },
    {
      name: 'OOMKilled while Pending is not',
      build: { phase: 'pending', disruption: 'OOMKilled' },
      want: undefined,
    },
    { name: 'phase Unknown', build: { phase: 'unknown' }, want: 'unknown' },
    { name: 'a plain running build', build: { phase: 'running' }, want: undefined },
    { name: 'a missing build', build: { phase: 'missing' }, want: undefined },
  ];
  for (const tc of causes) {
    it(tc.name, () => expect(unexpectedStopCause(tc.build)).toBe(tc.want));
  }
});
