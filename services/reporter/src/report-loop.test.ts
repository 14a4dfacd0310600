// The report loop with the commit status target: a job in a MemoryJobStore, a writer recording
// what it was asked to write, and the write ledger on a real nats-server (its claims are KV's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm, type KV } from '@nats-io/kv';
import { Registry } from 'prom-client';
import {
  connectBus,
  ensureStreams,
  RetryLaterError,
  TerminalError,
  silentLog,
  type Bus,
} from '@jetprow/bus';
import { GitHubReporterName, type ProwJobState } from '@jetprow/schemas';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { openPrReportQueue, prComments } from './comment-target.js';
import { GitHubWriteError, type LatestStatus } from './github.js';
import { kvKey } from './kv-key.js';
import { reporterMetrics } from './metrics.js';
import { reportJob } from './report-loop.js';
import { kvWriteLedger, type Runtime } from './runtime.js';
import { statusForJob, statusIdentity, statusTarget } from './status-target.js';
import { MemoryJobStore } from '../testing/memory-job-store.js';
import {
  githubError,
  presubmitJob,
  recordingWriter,
  reporterConfig,
  setState,
  type RecordingWriter,
} from '../testing/fixtures.js';

const NOW = Date.parse('2024-05-01T10:05:00Z');
const STATUS_CAP = 'This SHA and context has reached the maximum number of statuses.';

let nats: NatsHarness;
let bus: Bus;
let buckets = 0;
beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'report-loop');
  await ensureStreams(bus.jsm);
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

async function setup(state: ProwJobState = 'pending') {
  const store = new MemoryJobStore();
  const writer = recordingWriter();
  const job = presubmitJob('pj-1');
  setState(job, state);
  await store.create(job);
  const kv: KV = await new Kvm(bus.js).create(`ledger-${++buckets}`, { history: 1 });
  /** GitHub's newest statuses, as `reads` returns them. */
  const onGitHub = new Map<string, LatestStatus>();
  const rt: Runtime = {
    store,
    writer,
    reads: {
      listComments: async () => [],
      botLogin: async () => 'bot',
      latestStatuses: async () => onGitHub,
    },
    ledger: kvWriteLedger(kv),
    pace: async () => {},
    metrics: reporterMetrics(new Registry()),
    log: silentLog,
    now: () => NOW,
    config: () => reporterConfig(),
    claimLeaseMs: 300,
  };
  /** The write outcomes counted so far, in the order each first occurred. */
  const outcomes = async () =>
    (await rt.metrics.writes.get()).values.flatMap((v) =>
      Array<string>(v.value).fill(String(v.labels.outcome)),
    );
  return { store, writer, rt, kv, onGitHub, outcomes };
}

const reported = async (store: MemoryJobStore) =>
  (await store.get('pj-1'))?.status.prev_report_states?.[GitHubReporterName];
const states = (w: RecordingWriter) => w.writes.map((s) => s.state);
const reconcile = (rt: Runtime) => reportJob(rt, [statusTarget(rt)], 'pj-1');

describe('reportJob with the status target', () => {
  it('pending then success produce two statuses, each recorded', async () => {
    const { store, writer, rt } = await setup('pending');
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'pending', writes: 1 });
    expect(await reported(store)).toBe('pending');
    await store.mutate('pj-1', (j) => setState(j, 'success', '2024-05-01T10:04:00Z'));
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'success', writes: 1 });
    expect(states(writer)).toEqual(['pending', 'success']);
    expect(writer.writes[1]).toMatchObject({
      context: 'pull-unit',
      target_url: 'https://prow.example.com/view/pj-1',
    });
    expect(await reported(store)).toBe('success');
  });

  it('a redelivered nudge writes nothing', async () => {
    const { store, writer, rt } = await setup('success');
    await reconcile(rt);
    const updates = store.updates;
    expect(await reconcile(rt)).toEqual({ kind: 'already-reported', state: 'success' });
    expect(await reconcile(rt)).toEqual({ kind: 'already-reported', state: 'success' });
    expect(writer.writes).toHaveLength(1);
    expect(store.updates).toBe(updates);
  });

  it('a missing job is done (nothing to do)', async () => {
    const { writer, rt } = await setup();
    expect(await reportJob(rt, [statusTarget(rt)], 'no-such-job')).toEqual({ kind: 'missing' });
    expect(writer.writes).toEqual([]);
  });

  it('a job that must not be reported is neither written nor recorded', async () => {
    const { store, writer, rt } = await setup();
    await store.mutate('pj-1', (j) => (j.spec.report = false));
    expect(await reconcile(rt)).toEqual({ kind: 'not-reportable' });
    expect(writer.writes).toEqual([]);
    expect(await reported(store)).toBeUndefined();
  });

  it('reads config on every call (hot reload)', async () => {
    const { writer, rt } = await setup();
    let types: ('presubmit' | 'postsubmit')[] = ['postsubmit'];
    rt.config = () => reporterConfig({ job_types_to_report: types });
    expect(await reconcile(rt)).toEqual({ kind: 'not-reportable' });
    types = ['presubmit'];
    expect((await reconcile(rt)).kind).toBe('reported');
    expect(writer.writes).toHaveLength(1);
  });

  const finals = [
    { name: '404 Not Found', status: 404, body: { message: 'Not Found' } },
    {
      name: '422 No commit found for SHA',
      status: 422,
      body: { message: 'No commit found for SHA: abc' },
    },
    {
      name: '422 status cap',
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'Status', code: 'custom', message: STATUS_CAP }],
      },
    },
  ];
  for (const tc of finals) {
    it(`${tc.name} is final: recorded as reported, resolved (acked), not retried`, async () => {
      const { store, writer, rt, outcomes } = await setup('failure');
      writer.script.push(githubError(tc.status, tc.body));
      expect(await reconcile(rt)).toMatchObject({ kind: 'reported', state: 'failure' });
      expect(await reported(store)).toBe('failure');
      expect(await outcomes()).toEqual(['gone']);
      expect(await reconcile(rt)).toMatchObject({ kind: 'already-reported' });
      expect(writer.writes).toEqual([]);
    });
  }

  it('500 is retried: throws a retryable error, records nothing; the retry writes', async () => {
    const { store, writer, rt, outcomes } = await setup('success');
    writer.script.push(githubError(500, { message: 'Server Error' }));
    const err = await reconcile(rt).catch((e: unknown) => e);
    // Neither terminal nor a timed retry: the consumer naks it with back-off.
    expect(err).toBeInstanceOf(GitHubWriteError);
    expect((err as GitHubWriteError).status).toBe(500);
    expect(err).not.toBeInstanceOf(TerminalError);
    expect(err).not.toBeInstanceOf(RetryLaterError);
    expect(await reported(store)).toBeUndefined();
    expect(await outcomes()).toEqual(['retry']);
    expect(await reconcile(rt)).toMatchObject({ kind: 'reported', state: 'success' });
    expect(states(writer)).toEqual(['success']);
    expect(await outcomes()).toEqual(['retry', 'success']);
  });

  it('a rate limit asks to retry after the reset', async () => {
    const { store, writer, rt } = await setup('success');
    const reset = String(NOW / 1000 + 300);
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
    writer.script.push(githubError(403, undefined, headers, NOW));
    const err = await reconcile(rt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).delayMs).toBe(301_000);
    expect(await reported(store)).toBeUndefined();
  });

  it('a write GitHub rejects (400, other 422) is terminal and not recorded', async () => {
    const { store, writer, rt } = await setup('success');
    writer.script.push(githubError(422, { message: 'Validation Failed' }));
    await expect(reconcile(rt)).rejects.toBeInstanceOf(TerminalError);
    expect(await reported(store)).toBeUndefined();
  });

  it('a job moving on while its status is written gets the newer state written after', async () => {
    const { store, writer, rt } = await setup('pending');
    // plank finishes the job while the pending status is on its way to GitHub.
    writer.script.push(async () => {
      await store.mutate('pj-1', (j) => setState(j, 'success', '2024-05-01T10:04:00Z'));
    });
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'success', writes: 2 });
    expect(states(writer)).toEqual(['pending', 'success']);
    expect(await reported(store)).toBe('success');
  });

  it('two handlers racing on one job leave its final state as the newest status', async () => {
    const { store, writer, rt } = await setup('pending');
    // Handler A reads pending; its write is slow and lands after handler B has written and
    // recorded success (the order that would leave GitHub stuck on pending).
    let releaseA!: () => void;
    const aHeld = new Promise<void>((r) => (releaseA = r));
    let aStarted!: () => void;
    const aInWrite = new Promise<void>((r) => (aStarted = r));
    writer.script.push(async () => {
      aStarted();
      await aHeld;
    });
    const a = reconcile(rt);
    await aInWrite;
    await store.mutate('pj-1', (j) => setState(j, 'success', '2024-05-01T10:04:00Z'));
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'success', writes: 1 });
    releaseA();
    await a;
    expect(states(writer)).toEqual(['success', 'pending', 'success']);
    expect(await reported(store)).toBe('success');
  });

  it('two handlers racing for the same status: one claims and writes it, the other retries later', async () => {
    const { store, writer, rt } = await setup('failure');
    // Both got their slot at once and read the same (no) mark: the ledger's claim decides.
    let release!: () => void;
    const slot = new Promise<void>((r) => (release = r));
    rt.pace = () => slot;
    const racing = [reconcile(rt), reconcile(rt)].map((p) => p.catch((e: unknown) => e));
    release();
    const [a, b] = await Promise.all(racing);
    const results = [a, b].filter((r) => !(r instanceof Error));
    const errors = [a, b].filter((r) => r instanceof Error);
    expect(results).toEqual([{ kind: 'reported', state: 'failure', writes: 1 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(RetryLaterError);
    expect(states(writer)).toEqual(['failure']);
    // The retry finds it reported.
    rt.pace = async () => {};
    expect(await reconcile(rt)).toEqual({ kind: 'already-reported', state: 'failure' });
    expect(await reported(store)).toBe('failure');
  });
});

describe('reportJob with pacing: coalescing', () => {
  it('a job that finishes while its pending status waits for a slot posts only the final state', async () => {
    const { store, writer, rt } = await setup('pending');
    let release!: () => void;
    const slot = new Promise<void>((r) => (release = r));
    let waiting!: () => void;
    const waited = new Promise<void>((r) => (waiting = r));
    rt.pace = async () => {
      waiting();
      await slot;
    };
    const r = reconcile(rt);
    await waited;
    // A burst of changes to the context while the write waits for the budget.
    await store.mutate('pj-1', (j) => setState(j, 'aborted', '2024-05-01T10:02:00Z'));
    await store.mutate('pj-1', (j) => setState(j, 'failure', '2024-05-01T10:03:00Z'));
    release();
    expect(await r).toEqual({ kind: 'reported', state: 'failure', writes: 1 });
    expect(states(writer)).toEqual(['failure']);
  });

  it('a write that waited for a slot and finds the state already reported writes nothing', async () => {
    const { store, writer, rt } = await setup('success');
    rt.pace = async () => {
      await store.mutate('pj-1', (j) => {
        j.status.prev_report_states = { [GitHubReporterName]: 'success' };
      });
    };
    expect(await reconcile(rt)).toEqual({ kind: 'already-reported', state: 'success' });
    expect(writer.writes).toEqual([]);
  });

  it('a complete job on GitHub is handed on for its PR comment; a SHA gone is not', async () => {
    const { store, writer, rt } = await setup('failure');
    const queue = await openPrReportQueue(bus.js);
    const comments = prComments(rt, { bus, queue, leaseMs: 10_000 });
    const targets = [statusTarget(rt), comments.target];
    const pr = { org: 'acme', repo: 'widgets', number: 12 };
    await reportJob(rt, targets, 'pj-1');
    expect(await queue.claim(pr, 'test', 10_000)).toEqual({
      kind: 'claimed',
      items: [{ name: 'pj-1', state: 'failure' }],
    });
    await queue.complete(pr, 'test', [{ name: 'pj-1', state: 'failure' }]);
    await store.mutate('pj-1', (j) => setState(j, 'error', '2024-05-01T10:06:00Z'));
    writer.script.push(githubError(422, { message: 'No commit found for SHA: abc' }));
    expect(await reportJob(rt, targets, 'pj-1')).toMatchObject({ kind: 'reported' });
    expect(await queue.claim(pr, 'test', 10_000)).toEqual({ kind: 'empty' });
  });
});

describe('reportJob with the write ledger: exactly once across a crash', () => {
  const mark = async (kv: KV) => (await kv.get(kvKey('status/pj-1')))?.string();

  it('a status begun by a writer that died, and on GitHub, is recorded without writing it again', async () => {
    const { store, writer, rt, kv, onGitHub } = await setup('failure');
    const status = statusForJob((await store.get('pj-1'))!)!;
    const { state, description, target_url } = status;
    onGitHub.set(status.context, { state, description, target_url });
    // The writer's request failed after GitHub got it (GitHub has it): outcome unknown.
    writer.script.push(new Error('died after sending'));
    await reconcile(rt).catch(() => {});
    expect(await mark(kv)).toMatch(/^tried failure:/);
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'failure', writes: 0 });
    expect(writer.writes).toEqual([]);
    expect(await reported(store)).toBe('failure');
  });

  it('a status begun but not on GitHub is written', async () => {
    const { writer, rt, kv } = await setup('failure');
    writer.script.push(new Error('connection reset'));
    await reconcile(rt).catch(() => {});
    expect(await mark(kv)).toMatch(/^tried failure:/);
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'failure', writes: 1 });
    expect(states(writer)).toEqual(['failure']);
  });

  it('a write begun by a live writer is not taken over inside its lease; a dead one’s is, once', async () => {
    const { store, writer, rt, kv } = await setup('failure');
    const status = statusForJob((await store.get('pj-1'))!)!;
    // Another replica claimed this very write and is sending it now.
    await kv.create(kvKey('status/pj-1'), `begun ${statusIdentity(status)}`);
    await expect(reconcile(rt)).rejects.toThrow(/another writer is making/);
    expect(writer.writes).toEqual([]);
    // It died: once its lease (300 ms here) is over, GitHub is checked (not there) and the
    // status written, once.
    await new Promise((r) => setTimeout(r, 350));
    expect(await reconcile(rt)).toEqual({ kind: 'reported', state: 'failure', writes: 1 });
    expect(states(writer)).toEqual(['failure']);
    expect(await mark(kv)).toMatch(/^done failure:/);
  });
});
