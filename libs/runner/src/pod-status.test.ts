import { describe, expect, it } from 'vitest';
import type { BuildStatus } from './job-runner.js';
import { buildInfoOf, buildStatusOf, reconcileKey, type PodView } from './pod-status.js';

const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:05:00Z';
const base = (
  status: PodView['status'],
  meta: Partial<NonNullable<PodView['metadata']>> = {},
): PodView => ({
  metadata: {
    name: 'pj-1',
    creationTimestamp: T0,
    labels: { 'prow.k8s.io/build-id': '42', 'prow.k8s.io/id': 'pj-1' },
    ...meta,
  },
  spec: { containers: [{ name: 'test' }] },
  status,
});
const terminated = (
  exitCode: number,
  reason = exitCode === 0 ? 'Completed' : 'Error',
  name = 'test',
) => ({
  name,
  state: { terminated: { exitCode, reason, finishedAt: T1 } },
});
const scheduled = [{ type: 'PodScheduled', status: 'True' }];

describe("buildStatusOf: a Pod read as Prow's plank reads it", () => {
  const cases: { name: string; pod: PodView; want: Partial<BuildStatus> }[] = [
    {
      name: 'just created, no phase yet: pending, not scheduled',
      pod: base(null),
      want: {
        phase: 'pending',
        scheduled: false,
        buildId: '42',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    },
    {
      name: 'Pending with PodScheduled=True: scheduled',
      pod: base({ phase: 'Pending', conditions: scheduled }),
      want: { phase: 'pending', scheduled: true },
    },
    {
      name: 'Running: startTime is when it started',
      pod: base({
        phase: 'Running',
        startTime: T0,
        conditions: scheduled,
        containerStatuses: [{ name: 'test', state: { running: {} } as never }],
      }),
      want: { phase: 'running', startedAt: '2026-01-01T00:00:00.000Z' },
    },
    {
      name: 'Succeeded with every container exited 0: allContainersSucceeded',
      pod: base({ phase: 'Succeeded', startTime: T0, containerStatuses: [terminated(0)] }),
      want: {
        phase: 'succeeded',
        exitCode: 0,
        finishedAt: '2026-01-01T00:05:00.000Z',
        allContainersSucceeded: true,
        reason: 'Completed',
      },
    },
    {
      name: "Succeeded but a container did not finish (Prow: some containers didn't finish)",
      pod: base({
        phase: 'Succeeded',
        containerStatuses: [terminated(0), { name: 'sidecar', state: {} }],
      }),
      want: { phase: 'succeeded', allContainersSucceeded: false },
    },
    {
      name: "Failed: the test container's exit code",
      pod: base({
        phase: 'Failed',
        containerStatuses: [terminated(0, 'Completed', 'sidecar'), terminated(3)],
      }),
      want: { phase: 'failed', exitCode: 3, reason: 'Error' },
    },
    {
      name: 'status.reason Evicted: disruption Evicted',
      pod: base({ phase: 'Failed', reason: 'Evicted' }),
      want: { phase: 'failed', disruption: 'Evicted', reason: 'Evicted' },
    },
    {
      name: 'NodeLost while being deleted: disruption NodeLost',
      pod: base({ phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: T1 }),
      want: { phase: 'running', disruption: 'NodeLost', deleting: true },
    },
    {
      name: 'a container OOMKilled while the Pod runs: disruption OOMKilled',
      pod: base({ phase: 'Running', containerStatuses: [terminated(137, 'OOMKilled')] }),
      want: { phase: 'running', disruption: 'OOMKilled' },
    },
    {
      name: 'phase Unknown: unknown',
      pod: base({ phase: 'Unknown' }),
      want: { phase: 'unknown' },
    },
    {
      name: 'deletionTimestamp: deleting',
      pod: base({ phase: 'Running' }, { deletionTimestamp: T1 }),
      want: { phase: 'running', deleting: true },
    },
    {
      name: 'no build-id label: BUILD_ID of the first container (Prow: older pods)',
      pod: {
        metadata: { name: 'x' },
        spec: { containers: [{ name: 'test', env: [{ name: 'BUILD_ID', value: '7' }] }] },
        status: { phase: 'Running' },
      },
      want: { buildId: '7' },
    },
    {
      name: "client-node's Date objects read like strings",
      pod: base({ phase: 'Running', startTime: new Date(T0) }, { creationTimestamp: new Date(T0) }),
      want: { startedAt: '2026-01-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' },
    },
  ];
  for (const tc of cases) it(tc.name, () => expect(buildStatusOf(tc.pod)).toMatchObject(tc.want));

  it('NodeLost without a deletion is no disruption yet (Prow waits for the deletion)', () => {
    expect(buildStatusOf(base({ phase: 'Running', reason: 'NodeLost' }))).not.toHaveProperty(
      'disruption',
    );
  });
});

describe('buildInfoOf (sinker)', () => {
  it('names the ProwJob from prow.k8s.io/id and ages by startTime, else creation', () => {
    expect(buildInfoOf(base({ phase: 'Running', startTime: T1 }))).toEqual({
      name: 'pj-1',
      prowJob: 'pj-1',
      startedAt: '2026-01-01T00:05:00.000Z',
      phase: 'running',
      buildId: '42',
    });
    expect(buildInfoOf(base({ phase: 'Pending' })).startedAt).toBe('2026-01-01T00:00:00.000Z');
  });
});

describe('reconcileKey: which Pod changes are worth a reconcile', () => {
  const key = (p: PodView) => reconcileKey(buildStatusOf(p));
  it('a status write that changes nothing plank reads keeps the key', () => {
    const a = base({ phase: 'Running', conditions: scheduled, startTime: T0 });
    const b = base({
      phase: 'Running',
      conditions: [...scheduled, { type: 'Ready', status: 'True' }],
      startTime: T0,
    });
    expect(key(a)).toBe(key(b));
  });
  const changes = [
    {
      name: 'scheduled',
      from: base({ phase: 'Pending' }),
      to: base({ phase: 'Pending', conditions: scheduled }),
    },
    {
      name: 'running',
      from: base({ phase: 'Pending', conditions: scheduled }),
      to: base({ phase: 'Running', conditions: scheduled }),
    },
    { name: 'finished', from: base({ phase: 'Running' }), to: base({ phase: 'Failed' }) },
    {
      name: 'being deleted',
      from: base({ phase: 'Running' }),
      to: base({ phase: 'Running' }, { deletionTimestamp: T1 }),
    },
    {
      name: 'evicted',
      from: base({ phase: 'Failed' }),
      to: base({ phase: 'Failed', reason: 'Evicted' }),
    },
  ];
  for (const tc of changes)
    it(`changes when the Pod is ${tc.name}`, () => expect(key(tc.from)).not.toBe(key(tc.to)));
});
