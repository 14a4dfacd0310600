// The reporter service, the only GitHub writer. Two durable consumers, shared by replicas:
// - `reporter` on PROW_REPORTS: a message names a job; the report loop (report-loop.ts) has each
//   target report its current state: the commit status, then the PR's comment.
// - `reporter-intents` on PROW_INTENTS: write intents from other services (comments, labels) and
//   the PR comment nudges (intents.ts, comment-target.ts).
// Every write first takes a slot in the write budget shared by all replicas (budget.ts).
import type { Registry } from 'prom-client';
import { runConsumer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { Streams, Subjects } from '@jetprow/core';
import { decoder, ReportNudge } from '@jetprow/schemas';
import { DEFAULT_GITHUB_WRITE_LIMITS, parseWriteLimits } from '@jetprow/service';
import type { JobStore } from '@jetprow/store';
import { openWriteBudget, type WriteLimit } from './budget.js';
import { openPrReportQueue, prComments } from './comment-target.js';
import type { ReporterGitHub } from './github.js';
import { decodeReporterIntent, executeIntent } from './intents.js';
import { keyedLock } from './keyed-lock.js';
import { consumerBacklog, reporterMetrics } from './metrics.js';
import { reportJob, type ReportTarget } from './report-loop.js';
import { CLAIM_LEASE_MS, openWriteLedger, type ReporterConfig, type Runtime } from './runtime.js';
import { statusTarget } from './status-target.js';

export const REPORTER_DURABLE = 'reporter';
export const INTENTS_DURABLE = 'reporter-intents';
/** The two durable consumers: what runConsumer consumes and the queue metrics sample. */
const REPORTS = {
  stream: Streams.reports,
  durable: REPORTER_DURABLE,
  filterSubject: Subjects.reports,
} as const;
const INTENTS = {
  stream: Streams.intents,
  durable: INTENTS_DURABLE,
  filterSubject: Subjects.intents,
} as const;
const decodeNudge = decoder('report nudge', ReportNudge);

/** GitHub's secondary limits on content-creating requests: 80 a minute, 500 an hour. */
const GITHUB_WRITE_LIMITS = parseWriteLimits(DEFAULT_GITHUB_WRITE_LIMITS);
/** The longest a handler holds a message waiting for its slot before handing it back. */
const MAX_HOLD_MS = 30_000;
/** A PR comment lease, renewed while held: a dead holder delays its PR's comment this long. */
const PR_LEASE_MS = 15_000;
/** Messages a dead replica held come back after this (live handlers extend it with working()). */
const ACK_WAIT_MS = 10_000;

export interface ReporterDeps {
  bus: Bus;
  store: JobStore;
  github: ReporterGitHub;
  log: Log;
  registry: Registry;
  config: () => ReporterConfig;
  /** Content-creating writes allowed per budget (default GITHUB_WRITE_LIMITS). */
  writeLimits?: readonly WriteLimit[];
  /** Widens each window against clock skew and travel time (default 1 s). */
  budgetMarginMs?: number;
  /** How long a begun GitHub write is its writer's alone before another may take it over. */
  claimLeaseMs?: number;
  /** Messages of each consumer handled at once by this process (default 4). */
  concurrency?: number;
  now?: () => number;
}

export interface Reporter {
  /** Stops taking messages and waits for the ones in flight. */
  stop(): Promise<void>;
  ready(): boolean;
}

/** Starts consuming; PROW_REPORTS and PROW_INTENTS must exist (ensureStreams). */
export async function startReporter(deps: ReporterDeps): Promise<Reporter> {
  const { bus, github } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ component: 'reporter' });
  const metrics = reporterMetrics(deps.registry);
  const budget = await openWriteBudget(bus, {
    limits: deps.writeLimits ?? GITHUB_WRITE_LIMITS,
    marginMs: deps.budgetMarginMs,
    now,
    onWait: (b, ms) => metrics.budgetWait.observe({ budget: b }, ms / 1000),
  });
  github.link.attach({ budget, metrics, log, maxHoldMs: MAX_HOLD_MS, now });
  // Stopping ends writes still waiting for their slot: their messages go back to the bus.
  const stopping = new AbortController();
  const rt: Runtime = {
    store: deps.store,
    writer: github.writer,
    reads: github.reads,
    ledger: await openWriteLedger(bus),
    async pace(org) {
      if (!github.paced) return;
      metrics.budgetWaiting.inc();
      try {
        await budget.acquire(github.budgetFor(org), MAX_HOLD_MS, stopping.signal);
      } finally {
        metrics.budgetWaiting.dec();
      }
    },
    metrics,
    log,
    now,
    config: deps.config,
    claimLeaseMs: deps.claimLeaseMs ?? CLAIM_LEASE_MS,
  };
  const queue = await openPrReportQueue(bus, now);
  const comments = prComments(rt, { bus, queue, leaseMs: PR_LEASE_MS });
  // crier's GitHub reporter, in order: the status, then the PR comment that lists it. A new
  // target (GitHub Checks) is its own file and one entry here.
  const targets: ReportTarget[] = [statusTarget(rt), comments.target];

  // One job at a time in this process: a nudge replacing one in flight waits, then finds the
  // state reported.
  const perJob = keyedLock();
  const consumers: RunningConsumer[] = [
    await runConsumer(bus, {
      ...REPORTS,
      ackWaitMs: ACK_WAIT_MS,
      concurrency: deps.concurrency ?? 4,
      decode: decodeNudge,
      log,
      async handle(nudge) {
        const result = await perJob.run(nudge.name, () => reportJob(rt, targets, nudge.name));
        log.debug({ prowjob: nudge.name, nudged: nudge.state, result }, 'report reconciled');
      },
    }),
    await runConsumer(bus, {
      ...INTENTS,
      ackWaitMs: ACK_WAIT_MS,
      concurrency: deps.concurrency ?? 4,
      decode: decodeReporterIntent,
      log,
      async handle(intent, msg) {
        if (intent.kind === 'pr-report') {
          const result = await comments.handle(intent, msg.info.deliveryCount > 1);
          const pr = `${intent.org}/${intent.repo}#${intent.number}`;
          log.debug({ pr, result }, 'PR report handled');
          return result.kind === 'busy' ? { redeliverInMs: result.retryInMs } : undefined;
        }
        const result = await executeIntent(rt, intent);
        log.info({ intent: intent.id, kind: intent.kind, result }, 'write intent done');
        return undefined;
      },
    }),
  ];
  const backlog = (c: typeof REPORTS | typeof INTENTS) =>
    consumerBacklog(bus, c.stream, c.durable, c.filterSubject, now());
  metrics.setQueueSource(async () => ({
    reports: await backlog(REPORTS),
    intents: await backlog(INTENTS),
  }));
  let running = true;
  for (const c of consumers) {
    c.done.then(
      () => (running = false),
      (err: unknown) => {
        running = false;
        log.error({ err: String(err) }, 'consumer ended');
      },
    );
  }

  return {
    ready: () => running,
    async stop() {
      running = false;
      stopping.abort();
      github.link.detach();
      metrics.setQueueSource(undefined);
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
