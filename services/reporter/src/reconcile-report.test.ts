import { describe, expect, it } from 'vitest';
import { RetryLaterError, TerminalError, silentLog } from '@jetprow/bus';
import { GitHubReporterName, type ProwJobState } from '@jetprow/schemas';
import {
  reconcileReport,
  StatusWriteError,
  type ReconcileDeps,
  type WriteOutcome,
} from './reconcile-report.js';
import { GitHubWriteError } from './write-error.js';
import type { GitHubReads, LatestStatus } from './github-writer.js';
import { statusForJob } from './status-for-job.js';
import type { WriteLedger } from './write-ledger.js';
import { MemoryJobStore } from '../testing/memory-job-store.js';
import {
  presubmitJob,
  recordingWriter,
  setState,
  type RecordingWriter,
} from '../testing/fixtures.js';

const NOW = Date.parse('2024-05-01T10:05:00Z');
const STATUS_CAP = 'This SHA and context has reached the maximum number of statuses.';

async function setup(state: ProwJobState = 'pending') {
  const store = new MemoryJobStore();
  const writer = recordingWriter();
  const outcomes: WriteOutcome[] = [];
  const job = presubmitJob('pj-1');
  setState(job, state);
  await store.create(job);
  const deps: ReconcileDeps = {
    store,
    writer,
    getSettings: () => ({}),
    log: silentLog,
    now: () => NOW,
    onWrite: (o) => outcomes.push(o),
  };
  return { store, writer, deps, outcomes };
}

const reported = async (store: MemoryJobStore) =>
  (await store.get('pj-1'))?.status.prev_report_states?.[GitHubReporterName];
const states = (w: RecordingWriter) => w.writes.map((s) => s.state);
const reconcile = (deps: ReconcileDeps) => reconcileReport(deps, 'pj-1');
const ghError = (status: number, body?: unknown, headers?: Record<string, string>) =>
  new GitHubWriteError('create status', { status, body, headers });

describe('reconcileReport', () => {
  it('pending then success produce two statuses, each recorded', async () => {
    const { store, writer, deps } = await setup('pending');
    expect(await reconcile(deps)).toEqual({ kind: 'reported', state: 'pending', writes: 1 });
    expect(await reported(store)).toBe('pending');
    await store.mutate('pj-1', (j) => setState(j, 'success', '2024-05-01T10:04:00Z'));
    expect(await reconcile(deps)).toEqual({ kind: 'reported', state: 'success', writes: 1 });
    expect(states(writer)).toEqual(['pending', 'success']);
    expect(writer.writes[1]).toMatchObject({
      context: 'pull-unit',
      target_url: 'https://prow.example.com/view/pj-1',
    });
    expect(await reported(store)).toBe('success');
  });

  it('a redelivered nudge writes nothing', async () => {
    const { store, writer, deps } = await setup('success');
    await reconcile(deps);
    const updates = store.updates;
    expect(await reconcile(deps)).toEqual({ kind: 'already-reported', state: 'success' });
    expect(await reconcile(deps)).toEqual({ kind: 'already-reported', state: 'success' });
    expect(writer.writes).toHaveLength(1);
    expect(store.updates).toBe(updates);
  });

  it('a missing job is done (nothing to do)', async () => {
    const { writer, deps } = await setup();
    expect(await reconcileReport(deps, 'no-such-job')).toEqual({ kind: 'missing' });
    expect(writer.writes).toEqual([]);
  });

  it('a job that must not be reported is neither written nor recorded', async () => {
    const { store, writer, deps } = await setup();
    await store.mutate('pj-1', (j) => (j.spec.report = false));
    expect(await reconcile(deps)).toEqual({ kind: 'not-reportable' });
    expect(writer.writes).toEqual([]);
    expect(await reported(store)).toBeUndefined();
  });

  it('reads settings on every call (hot reload)', async () => {
    const { writer, deps } = await setup();
    let types: ('presubmit' | 'postsubmit')[] = ['postsubmit'];
    deps.getSettings = () => ({ jobTypesToReport: types });
    expect(await reconcile(deps)).toEqual({ kind: 'not-reportable' });
    types = ['presubmit'];
    expect((await reconcile(deps)).kind).toBe('reported');
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
      const { store, writer, deps, outcomes } = await setup('failure');
      writer.script.push(ghError(tc.status, tc.body));
      expect(await reconcile(deps)).toMatchObject({ kind: 'reported', state: 'failure' });
      expect(await reported(store)).toBe('failure');
      expect(outcomes).toEqual(['gone']);
      expect(await reconcile(deps)).toMatchObject({ kind: 'already-reported' });
      expect(writer.writes).toEqual([]);
    });
  }

  it('500 is retried: throws a retryable error, records nothing; the retry writes', async () => {
    const { store, writer, deps, outcomes } = await setup('success');
    writer.script.push(ghError(500, { message: 'Server Error' }));
    const err = await reconcile(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusWriteError);
    expect((err as Error).cause).toBeInstanceOf(GitHubWriteError);
    expect(await reported(store)).toBeUndefined();
    expect(await reconcile(deps)).toMatchObject({ kind: 'reported', state: 'success' });
    expect(states(writer)).toEqual(['success']);
    expect(outcomes).toEqual(['retry', 'success']);
  });

  it('a rate limit asks to retry after the reset', async () => {
    const { store, writer, deps } = await setup('success');
    const reset = String(NOW / 1000 + 300);
    writer.script.push(
      ghError(403, undefined, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
    );
    const err = await reconcile(deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryLaterError);
    expect((err as RetryLaterError).delayMs).toBe(301_000);
    expect(await reported(store)).toBeUndefined();
  });

  it('a write GitHub rejects (400, other 422) is terminal and not recorded', async () => {
    const { store, writer, deps } = await setup('success');
    writer.script.push(ghError(422, { message: 'Validation Failed' }));
    await expect(reconcile(deps)).rejects.toBeInstanceOf(TerminalError);
    expect(await reported(store)).toBeUndefined();
  });

  it('a job moving on while its status is written gets the newer state written after', async () => {
    const { store, writer, deps } = await setup('pending');
    // plank finishes the job while the pending status is on its way to GitHub.
    writer.script.push(async () => {
      await store.mutate('pj-1', (j) => setState(j, 'success', '2024-05-01T10:04:00Z'));
    });
    expect(await reconcile(deps)).toEqual({ kind: 'reported', state: 'success', writes: 2 });
    expect(states(writer)).toEqual(['pending', 'success']);
    expect(await reported(store)).toBe('success');
  });

  it('two handlers racing on one job leave its final state as the newest status', async () => {
    const { store, writer, deps } = await setup('pending');
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
    const a = reconcile(deps);
    await aInWrite;
    await store.mutate('pj-1', (j) => setState(j, 'success', '2024-05-01T10:04:00Z'));
    expect(await reconcile(deps)).toEqual({ kind: 'reported', state: 'success', writes: 1 });
    releaseA();
    await a;
    expect(states(writer)).toEqual(['success', 'pending', 'success']);
    expect(await reported(store)).toBe('success');
  });
});

describe('reconcileReport with pacing: coalescing', () => {
  it('a job that finishes while its pending status waits for a slot posts only the final state', async () => {
    const { store, writer, deps } = await setup('pending');
    let release!: () => void;
    const slot = new Promise<void>((r) => (release = r));
    let waiting!: () => void;
    const waited = new Promise<void>((r) => (waiting = r));
    deps.pace = async () => {
      waiting();
      await slot;
    };
    const r = reconcile(deps);
    await waited;
    // A burst of changes to the context while the write waits for the budget.
    await store.mutate('pj-1', (j) => setState(j, 'aborted', '2024-05-01T10:02:00Z'));
    await store.mutate('pj-1', (j) => setState(j, 'failure', '2024-05-01T10:03:00Z'));
    release();
    expect(await r).toEqual({ kind: 'reported', state: 'failure', writes: 1 });
    expect(states(writer)).toEqual(['failure']);
  });

  it('a write that waited for a slot and finds the state already reported writes nothing', async () => {
    const { store, writer, deps } = await setup('success');
    deps.pace = async () => {
      await store.mutate('pj-1', (j) => {
        j.status.prev_report_states = { [GitHubReporterName]: 'success' };
      });
    };
    expect(await reconcile(deps)).toEqual({ kind: 'already-reported', state: 'success' });
    expect(writer.writes).toEqual([]);
  });

  it('a complete job on GitHub is handed on for its PR comment; a SHA gone is not', async () => {
    const { store, writer, deps } = await setup('failure');
    const handed: string[] = [];
    deps.onReported = async (pj) => {
      handed.push(`${pj.metadata.name}=${pj.status.state}`);
    };
    await reconcile(deps);
    expect(handed).toEqual(['pj-1=failure']);
    await store.mutate('pj-1', (j) => setState(j, 'error', '2024-05-01T10:06:00Z'));
    writer.script.push(ghError(422, { message: 'No commit found for SHA: abc' }));
    await reconcile(deps);
    expect(handed).toEqual(['pj-1=failure']);
  });
});

describe('reconcileReport with the write ledger: exactly once across a crash', () => {
  /** An in-memory ledger, and GitHub's newest statuses as `reads` would return them. */
  function crashDeps(deps: ReconcileDeps, onGitHub: Map<string, LatestStatus>) {
    const marks = new Map<string, string>();
    const ledger: WriteLedger = {
      async state(key, what) {
        const v = marks.get(key);
        return v === `done ${what}` ? 'done' : v === `begun ${what}` ? 'begun' : 'new';
      },
      async begin(key, what) {
        marks.set(key, `begun ${what}`);
      },
      async done(key, what) {
        marks.set(key, `done ${what}`);
      },
    };
    const reads: GitHubReads = {
      listComments: async () => [],
      botLogin: async () => 'bot',
      latestStatuses: async () => onGitHub,
    };
    return { ...deps, ledger, reads, marks };
  }

  it('a status begun by a writer that died, and on GitHub, is recorded without writing it again', async () => {
    const { store, writer, deps } = await setup('failure');
    const status = statusForJob((await store.get('pj-1'))!)!;
    const onGitHub = new Map([
      [
        status.context,
        { state: status.state, description: status.description, target_url: status.target_url },
      ],
    ]);
    const d = crashDeps(deps, onGitHub);
    // The dead writer marked the write begun and sent it (GitHub has it), then died.
    writer.script.push(new Error('died after sending'));
    await reconcileReport(d, 'pj-1').catch(() => {});
    expect([...d.marks.values()][0]).toMatch(/^begun failure:/);
    expect(await reconcileReport(d, 'pj-1')).toEqual({
      kind: 'reported',
      state: 'failure',
      writes: 0,
    });
    expect(writer.writes).toEqual([]);
    expect((await store.get('pj-1'))!.status.prev_report_states?.[GitHubReporterName]).toBe(
      'failure',
    );
  });

  it('a status begun but not on GitHub is written', async () => {
    const { writer, deps } = await setup('failure');
    const d = crashDeps(deps, new Map());
    writer.script.push(new Error('connection reset'));
    await reconcileReport(d, 'pj-1').catch(() => {});
    expect([...d.marks.values()][0]).toMatch(/^begun failure:/);
    expect(await reconcileReport(d, 'pj-1')).toEqual({
      kind: 'reported',
      state: 'failure',
      writes: 1,
    });
    expect(states(writer)).toEqual(['failure']);
  });
});
