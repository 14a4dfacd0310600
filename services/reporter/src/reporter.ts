// The reporter service, the only GitHub writer. Two durable consumers, shared by replicas:
// - `reporter` on PROW_REPORTS: a message names a job; its current state becomes a commit
//   status (reconcile-report.ts). A complete presubmit's report is queued for its PR's comment.
// - `reporter-intents` on PROW_INTENTS: write intents from other services (comments, labels)
//   and the PR comment nudges (report-comment.ts).
// Every write first takes a slot in the write budget shared by all replicas (write-budget.ts).
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import { runConsumer, type Bus, type Log, type RunningConsumer } from '@jetprow/bus';
import { Streams, Subjects } from '@jetprow/core';
import { decoder, isComplete, ReportNudge, type ProwJob } from '@jetprow/schemas';
import type { JobStore } from '@jetprow/store';
import type { BudgetLink } from './budget-link.js';
import type { WriteLimit } from './budget-slots.js';
import { executeIntent, type IntentDeps } from './execute-intent.js';
import type { GitHubReads, GitHubWriter } from './github-writer.js';
import { decodeReporterIntent, publishPrReport } from './intent-messages.js';
import { keyedLock } from './keyed-lock.js';
import { reporterMetrics } from './metrics.js';
import { openPrReportQueue } from './pr-report-queue.js';
import { consumerBacklog } from './queue-metrics.js';
import { reconcileReport, type ReconcileDeps } from './reconcile-report.js';
import { handlePrReport, type ReportCommentDeps } from './report-comment.js';
import { reportLatencySeconds } from './report-latency.js';
import { commentMode, type ReporterSettings } from './settings.js';
import { openWriteBudget } from './write-budget.js';
import { openWriteLedger } from './write-ledger.js';

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
export const GITHUB_WRITE_LIMITS: readonly WriteLimit[] = [
  { count: 80, windowMs: 60_000 },
  { count: 500, windowMs: 3600_000 },
];

export interface ReporterDeps {
  bus: Bus;
  store: JobStore;
  writer: GitHubWriter;
  reads: GitHubReads;
  log: Log;
  registry: Registry;
  getSettings: () => ReporterSettings;
  /** The budget a write about `org` spends (GitHubAuth.budget); default one budget for all. */
  budgetFor?: (org: string) => string;
  /** Content-creating writes allowed per budget (default GITHUB_WRITE_LIMITS). */
  writeLimits?: readonly WriteLimit[];
  /** Widens each window against clock skew and travel time (default 1 s). */
  budgetMarginMs?: number;
  /** Pace writes through the shared budget (default true; a dry run writes nothing). */
  paced?: boolean;
  /** The longest a handler holds a message waiting for its slot before handing it back (30 s). */
  maxHoldMs?: number;
  /** Feeds the GitHub client's rate-limit answers into the budget (see budget-link.ts). */
  link?: BudgetLink;
  /** `plank.report_templates` rendered for a job's repo (Prow's ReportTemplateForRepo). */
  renderReportTemplate?: (pj: ProwJob) => string | undefined;
  now?: () => number;
  /** Status messages handled at once by this process (default 4). */
  concurrency?: number;
  /** Intent messages handled at once by this process (default 4). */
  intentConcurrency?: number;
}

export interface Reporter {
  /** Stops taking messages and waits for the ones in flight. */
  stop(): Promise<void>;
  ready(): boolean;
}

/** A PR comment lease, renewed while held: a dead holder delays its PR's comment this long. */
const PR_LEASE_MS = 15_000;
/** Messages a dead replica held come back after this (live handlers extend it with working()). */
const ACK_WAIT_MS = 10_000;

/** Starts consuming; PROW_REPORTS and PROW_INTENTS must exist (ensureStreams). */
export async function startReporter(deps: ReporterDeps): Promise<Reporter> {
  const now = deps.now ?? Date.now;
  const log = deps.log.child({ component: 'reporter' });
  const metrics = reporterMetrics(deps.registry);
  const maxHoldMs = deps.maxHoldMs ?? 30_000;
  const budgetFor = deps.budgetFor ?? (() => 'default');
  const budget = await openWriteBudget(deps.bus.js, {
    limits: deps.writeLimits ?? GITHUB_WRITE_LIMITS,
    ...(deps.budgetMarginMs === undefined ? {} : { marginMs: deps.budgetMarginMs }),
    now,
    onWait: (b, ms) => metrics.budgetWait.observe({ budget: b }, ms / 1000),
  });
  const ledger = await openWriteLedger(deps.bus.js);
  const queue = await openPrReportQueue(deps.bus.js, now);
  deps.link?.attach({ budget, metrics, log, maxHoldMs, now });
  // Stopping ends writes still waiting for their slot: their messages go back to the bus.
  const stopping = new AbortController();
  const pace =
    deps.paced === false
      ? async () => {}
      : async (org: string) => {
          metrics.budgetWaiting.inc();
          try {
            await budget.acquire(budgetFor(org), maxHoldMs, stopping.signal);
          } finally {
            metrics.budgetWaiting.dec();
          }
        };

  const reconcileDeps: ReconcileDeps = {
    store: deps.store,
    writer: deps.writer,
    reads: deps.reads,
    ledger,
    pace,
    getSettings: deps.getSettings,
    log,
    now,
    async onReported(pj) {
      const refs = pj.spec.refs;
      const pull = refs?.pulls?.[0];
      if (pj.spec.type !== 'presubmit' || !isComplete(pj) || !refs || !pull) return;
      if (commentMode(deps.getSettings(), refs.org, refs.repo) === 'none') return;
      const pr = { org: refs.org, repo: refs.repo, number: pull.number };
      const revision = await queue.enqueue(pr, {
        name: pj.metadata.name,
        state: pj.status.state ?? '',
      });
      await publishPrReport(deps.bus, pr, revision);
    },
    onWrite(outcome, pj) {
      metrics.writes.inc({ kind: 'status', outcome });
      if (outcome !== 'success') return;
      const seconds = reportLatencySeconds(pj, now());
      if (seconds !== undefined) metrics.latency.observe({ state: pj.status.state ?? '' }, seconds);
    },
  };
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let claims = 0;
  const onWrite = (kind: string, outcome: string) => metrics.writes.inc({ kind, outcome });
  const commentDeps: ReportCommentDeps = {
    store: deps.store,
    writer: deps.writer,
    reads: deps.reads,
    queue,
    pace,
    getSettings: deps.getSettings,
    ...(deps.renderReportTemplate ? { renderReportTemplate: deps.renderReportTemplate } : {}),
    log,
    now,
    newOwner: () => `${instance}-${++claims}`,
    leaseMs: PR_LEASE_MS,
    onWrite,
  };
  const intentDeps: IntentDeps = {
    writer: deps.writer,
    reads: deps.reads,
    ledger,
    pace,
    log,
    now,
    onWrite,
  };

  // One job at a time in this process: a nudge replacing one in flight waits, then finds the
  // state reported.
  const perJob = keyedLock();
  let running = true;
  const consumers: RunningConsumer[] = [];
  consumers.push(
    await runConsumer(deps.bus, {
      ...REPORTS,
      ackWaitMs: ACK_WAIT_MS,
      concurrency: deps.concurrency ?? 4,
      decode: decodeNudge,
      log,
      async handle(nudge) {
        const result = await perJob.run(nudge.name, () =>
          reconcileReport(reconcileDeps, nudge.name),
        );
        log.debug({ prowjob: nudge.name, nudged: nudge.state, result }, 'report reconciled');
      },
    }),
  );
  consumers.push(
    await runConsumer(deps.bus, {
      ...INTENTS,
      ackWaitMs: ACK_WAIT_MS,
      concurrency: deps.intentConcurrency ?? 4,
      decode: decodeReporterIntent,
      log,
      async handle(intent, msg) {
        if (intent.kind === 'pr-report') {
          const result = await handlePrReport(commentDeps, intent, msg.info.deliveryCount > 1);
          log.debug(
            { pr: `${intent.org}/${intent.repo}#${intent.number}`, result },
            'PR report handled',
          );
          return result.kind === 'busy' ? { redeliverInMs: result.retryInMs } : undefined;
        }
        const result = await executeIntent(intentDeps, intent);
        log.info({ intent: intent.id, kind: intent.kind, result }, 'write intent done');
        return undefined;
      },
    }),
  );
  const backlog = (c: typeof REPORTS | typeof INTENTS) =>
    consumerBacklog(deps.bus, c.stream, c.durable, c.filterSubject, now());
  metrics.setQueueSource(async () => ({
    reports: await backlog(REPORTS),
    intents: await backlog(INTENTS),
  }));
  for (const c of consumers) {
    c.done.then(
      () => {
        running = false;
      },
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
      deps.link?.detach();
      metrics.setQueueSource(undefined);
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
