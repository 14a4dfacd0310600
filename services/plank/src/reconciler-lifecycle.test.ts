// The Pod lifecycle of a pending job (Prow syncPendingJob; reference/prow.md §4.3) through the
// reconciler, with an injected clock: missing pods, unexpected stops and revivals, and the three
// timeouts, whose next deadline is the reconcile's `requeueAt` (plank puts it on the bus).
import { afterAll, beforeAll, describe } from 'vitest';
import { connectBus, type Bus } from '@jetprow/bus';
import { KvJobStore } from '@jetprow/store';
import { startNats, type NatsHarness } from '@jetprow/testing';
import {
  HOUR,
  MIN,
  NOW,
  ago,
  errored,
  pending,
  running,
  runRows,
  type Row,
} from './reconciler-fixtures.js';

let nats: NatsHarness;
let bus: Bus;
let store: KvJobStore;

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'reconciler-test');
  store = await KvJobStore.open(bus.js);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

const rows: Row[] = [
  // pending: missing and revivals
  {
    name: 'pending, pod missing → a new pod with a new build id, no revival counted',
    status: { ...pending, pod_revival_count: 1 },
    outcome: 'restarted',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
  },
  {
    name: 'pending, pod missing with every revival used → still recreated (Prow)',
    status: { ...pending, pod_revival_count: 3 },
    outcome: 'restarted',
    calls: (n) => [`start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 3 }),
  },
  {
    name: 'pending, pod Evicted → revival counted, pod deleted, a new pod started',
    status: pending,
    build: { phase: 'failed', buildId: 'b0', facts: { disruption: 'Evicted' } },
    outcome: 'revived',
    calls: (n) => [`delete ${n}`, `start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
  },
  {
    name: 'pending, pod Evicted and error_on_eviction → error "Job pod was evicted by the cluster."',
    status: pending,
    spec: { error_on_eviction: true },
    build: { phase: 'failed', buildId: 'b0', facts: { disruption: 'Evicted' } },
    outcome: 'finished',
    calls: () => [],
    expect: errored('Job pod was evicted by the cluster.'),
  },
  {
    name: 'pending, pod Evicted with 3 of 3 revivals → error "Job pod reached max revivals (3) …"',
    status: { ...pending, pod_revival_count: 3 },
    build: { phase: 'failed', buildId: 'b0', facts: { disruption: 'Evicted' } },
    outcome: 'finished',
    calls: () => [],
    expect: errored('Job pod reached max revivals (3) after being stopped unexpectedly (evicted)'),
  },
  {
    name: 'max revivals comes from the settings getter',
    status: pending,
    settings: { maxRevivals: 0 },
    build: { phase: 'unknown', buildId: 'b0' },
    outcome: 'finished',
    calls: () => [],
    expect: errored('Job pod reached max revivals (0) after being stopped unexpectedly (unknown)'),
  },
  {
    name: 'pending, pod OOMKilled while Running → error "Job pod was OOM killed by the cluster."',
    status: pending,
    build: running({ disruption: 'OOMKilled' }),
    outcome: 'finished',
    calls: () => [],
    expect: errored('Job pod was OOM killed by the cluster.'),
  },
  {
    name: 'pending, node lost and pod being deleted → revival counted; the new pod waits for the old one',
    status: pending,
    slowDelete: true,
    build: running({ disruption: 'NodeLost', deleting: true }),
    outcome: 'revived',
    requeueAt: NOW.getTime() + 2000,
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
  },
  {
    name: 'pending, the replaced pod is still terminating → no second revival, wait',
    status: { ...pending, build_id: 'b1', pod_revival_count: 1 },
    slowDelete: true,
    build: running({ disruption: 'NodeLost', deleting: true }),
    times: 3,
    outcome: 'clearing',
    requeueAt: NOW.getTime() + 2000,
    calls: () => [],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
    unchanged: true,
  },
  {
    name: 'pending, pod phase Unknown with Pods deleted slowly → deleted, revived on a later sync',
    status: pending,
    slowDelete: true,
    build: { phase: 'unknown', buildId: 'b0' },
    outcome: 'revived',
    requeueAt: NOW.getTime() + 2000,
    calls: (n) => [`delete ${n}`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
  },
  {
    name: 'pending, a local build whose process vanished → revived (counted), started again',
    status: pending,
    build: { phase: 'missing', buildId: 'b0', facts: { reason: 'lost' } },
    outcome: 'revived',
    calls: (n) => [`delete ${n}`, `start ${n} b1`],
    expect: () => ({ state: 'pending', build_id: 'b1', pod_revival_count: 1 }),
  },
  // pending: timeouts (an injected clock; the deadline is the requeue)
  {
    name: 'pending, unscheduled for 4 m → waits, deadline at the 5 m mark',
    status: pending,
    build: { phase: 'pending', buildId: 'b0', facts: { createdAt: ago(4 * MIN) } },
    outcome: 'running',
    requeueAt: NOW.getTime() + MIN,
    calls: () => [],
    expect: () => ({ state: 'pending' }),
    unchanged: true,
  },
  {
    name: 'pending, unscheduled for 5 m → error "Pod scheduling timeout.", pod deleted',
    status: pending,
    build: { phase: 'pending', buildId: 'b0', facts: { createdAt: ago(5 * MIN) } },
    outcome: 'finished',
    calls: (n) => [`stop ${n}`],
    expect: errored('Pod scheduling timeout.'),
  },
  {
    name: 'pending, unscheduled timeout overridden by the job’s decoration_config (1 m)',
    status: pending,
    spec: { decoration_config: { pod_unscheduled_timeout: '1m' } },
    build: { phase: 'pending', buildId: 'b0', facts: { createdAt: ago(MIN) } },
    outcome: 'finished',
    calls: (n) => [`stop ${n}`],
    expect: errored('Pod scheduling timeout.'),
  },
  {
    name: 'pending on a node for 10 m → error "Pod pending timeout.", pod deleted',
    status: pending,
    build: {
      phase: 'pending',
      buildId: 'b0',
      facts: { createdAt: ago(HOUR), startedAt: ago(10 * MIN) },
    },
    outcome: 'finished',
    calls: (n) => [`stop ${n}`],
    expect: errored('Pod pending timeout.'),
  },
  {
    name: 'pending timeout from the settings getter (plank.pod_pending_timeout 30 m) → waits',
    status: pending,
    settings: { podPendingTimeoutMs: 30 * MIN },
    build: { phase: 'pending', buildId: 'b0', facts: { startedAt: ago(10 * MIN) } },
    outcome: 'running',
    requeueAt: NOW.getTime() + 20 * MIN,
    calls: () => [],
    expect: () => ({ state: 'pending' }),
    unchanged: true,
  },
  {
    name: 'running for 47 h → waits, deadline at the 48 h mark',
    status: pending,
    build: running({ startedAt: ago(47 * HOUR) }),
    outcome: 'running',
    requeueAt: NOW.getTime() + HOUR,
    calls: () => [],
    expect: () => ({ state: 'pending' }),
    unchanged: true,
  },
  {
    name: 'running for 48 h → aborted "Pod running timeout.", pod deleted',
    status: pending,
    build: running({ startedAt: ago(48 * HOUR) }),
    outcome: 'finished',
    calls: (n) => [`stop ${n}`],
    expect: () => ({
      state: 'aborted',
      description: 'Pod running timeout.',
      completionTime: NOW.toISOString(),
    }),
  },
  {
    name: 'running timeout overridden by the job’s decoration_config (2 h)',
    status: pending,
    spec: { decoration_config: { pod_running_timeout: '2h' } },
    build: running({ startedAt: ago(2 * HOUR) }),
    outcome: 'finished',
    calls: (n) => [`stop ${n}`],
    expect: () => ({ state: 'aborted', description: 'Pod running timeout.' }),
  },
  {
    name: 'pod deleted under a running job → error "Pod got deleted unexpectedly"',
    status: pending,
    build: running({ startedAt: ago(MIN), deleting: true }),
    outcome: 'finished',
    calls: () => [],
    expect: errored('Pod got deleted unexpectedly'),
  },
];

describe('reconcile: the Pod lifecycle of a pending job', () => runRows(rows, () => store));
