// Test support for the reconciler suites: an injected clock, presubmits on their own PRs, a
// reconciler over the fake runner, and the case-table runner. Only tests import it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLog } from '@jetprow/bus';
import { parseProwConfig, type ProwConfig } from '@jetprow/config';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import type { BuildPhase } from '@jetprow/runner';
import type { ProwJob, ProwJobSpec, ProwJobStatus } from '@jetprow/schemas';
import { type JobStore, type KvJobStore } from '@jetprow/store';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import { FakeRunner, type BuildFacts } from './fake-runner.js';
import {
  createReconciler,
  type ReconcileOutcome,
  type ReconcileResult,
} from '../src/reconciler.js';

/**
 * A config getter for config.yaml with this `plank:` block, loaded by the real parser (Prow's
 * defaults for everything else). Throws on a config the loader would refuse.
 */
export function configWithPlank(plank: Record<string, unknown> = {}): () => { prow: ProwConfig } {
  const { config, errors } = parseProwConfig({ plank }, 'config.yaml');
  if (errors.length > 0) throw new Error(errors.map(String).join('\n'));
  return () => ({ prow: config });
}

/** A KV JobStore on the suite's own nats-server; `set` receives it before the tests run. */
export function useKvStore(set: (store: KvJobStore) => void): void {
  let h: StoreHarness | undefined;
  beforeAll(async () => {
    h = await startStoreHarness('reconciler-test');
    set(h.store);
  });
  afterAll(() => h?.close());
}

export const NOW = new Date('2026-02-03T04:05:06.000Z');
export const T0 = '2026-02-03T04:00:00.000Z';
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
/** A job pending on build b0 since T0. */
export const pending = { state: 'pending', pendingTime: T0, build_id: 'b0' } as const;

/** A presubmit `pull-unit` (or `spec.job`) on PR `pull`, created at `created`. */
export function newJob(
  name: string,
  spec: Partial<ProwJobSpec> = {},
  created = T0,
  pull = 7,
): ProwJob {
  const base = presubmitSpec(
    { name: 'pull-unit', spec: { containers: [{ command: ['make', 'test'] }] } },
    {
      org: 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'base1',
      pulls: [{ number: pull, author: 'a', sha: 'head1' }],
    },
  );
  return newProwJob({ ...base, ...spec }, { name, now: new Date(created) });
}

/**
 * A reconciler at NOW over a fresh fake runner; build ids b1, b2, … `plank` is config.yaml's
 * `plank:` block.
 */
export function setup(store: JobStore, plank: Record<string, unknown> = {}) {
  const runner = new FakeRunner();
  let n = 0;
  const nudged: string[] = [];
  const reconciler = createReconciler({
    store,
    runner,
    getConfig: configWithPlank(plank),
    settings: { jobUrlBase: 'http://plank.test' },
    now: () => NOW,
    buildIds: { next: () => `b${++n}` },
    nudge: (name) => nudged.push(name),
    log: silentLog,
  });
  return { runner, reconciler, nudged };
}

export interface Row {
  name: string;
  status: Partial<ProwJobStatus>;
  spec?: Partial<ProwJobSpec>;
  build?: { phase: BuildPhase; buildId: string; exitCode?: number; facts?: BuildFacts };
  startError?: Error;
  /** config.yaml's `plank:` block. */
  plank?: Record<string, unknown>;
  /** Builds are deleted like Pods: marked deleting, gone later. */
  slowDelete?: boolean;
  /** How many times the job is reconciled (nudges replayed). Default 1. */
  times?: number;
  outcome: ReconcileOutcome;
  /** The deadline asked for (epoch ms); none when undefined. */
  requeueAt?: number;
  calls: (name: string) => string[];
  expect: (pj: ProwJob, name: string) => Partial<ProwJobStatus>;
  /** The job must not have been written at all. */
  unchanged?: boolean;
}

export const errored = (description: string) => (): Partial<ProwJobStatus> => ({
  state: 'error',
  description,
  completionTime: NOW.toISOString(),
});

export const running = (facts: BuildFacts = {}) => ({
  phase: 'running' as const,
  buildId: 'b0',
  facts,
});

let seq = 0;

/** One `it` per row: the job (on its own PR) and its build, reconciled, then checked. */
export function runRows(rows: Row[], store: () => JobStore): void {
  for (const row of rows) {
    it(row.name, async () => {
      const name = `r${++seq}`;
      const { runner, reconciler } = setup(store(), row.plank);
      runner.slowDelete = row.slowDelete ?? false;
      const job = newJob(name, row.spec, T0, 1000 + seq);
      job.status = { ...job.status, ...row.status };
      const created = await store().create(job);
      if (row.build) {
        const { buildId, phase, exitCode, facts } = row.build;
        runner.seed(name, buildId, phase, exitCode, facts);
      }
      runner.startError = row.startError;
      let res: ReconcileResult | undefined;
      for (let i = 0; i < (row.times ?? 1); i++) res = await reconciler.reconcile(name);
      expect(res?.outcome).toBe(row.outcome);
      expect(res?.requeueAt).toBe(row.requeueAt);
      expect(runner.calls).toEqual(row.calls(name));
      const after = await store().get(name);
      expect(after?.status).toMatchObject(row.expect(after!, name));
      if (row.unchanged) {
        expect(after?.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      }
    });
  }
}
