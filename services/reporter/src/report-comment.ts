// The failure comment of one pull request (crier's ReportComment, per PR): take the PR's lease,
// read the jobs whose reports are pending and the PR's comments, plan as Prow does, make the
// writes (each paced through the write budget), then drop the reports done. Reports that arrive
// meanwhile are taken in the next round, so a burst of finished jobs costs one comment update.
import { Labels, type ProwJob } from '@jetprow/schemas';
import type { Log } from '@jetprow/bus';
import type { JobStore } from '@jetprow/store';
import type { GitHubReads, GitHubWriter, WriteKind } from './github-writer.js';
import { performWrite, type WriteOutcome } from './perform-write.js';
import type { PendingReport, PrRef, PrReportQueue } from './pr-report-queue.js';
import { latestPerContext, planReportComment, summaryJobs } from './report-comment-plan.js';
import { commentMode, jobTypesToReport, type ReporterSettings } from './settings.js';

export interface ReportCommentDeps {
  store: JobStore;
  writer: GitHubWriter;
  reads: GitHubReads;
  queue: PrReportQueue;
  /** Waits for a write slot of the org's budget. */
  pace(org: string): Promise<void>;
  getSettings: () => ReporterSettings;
  /** `plank.report_templates` for the job's repo, rendered with it; undefined when none. */
  renderReportTemplate?: (pj: ProwJob) => string | undefined;
  log: Log;
  now: () => number;
  /** A name unique to this claim (lease owner). */
  newOwner(): string;
  /** How long a lease lasts without renewal (renewed every third of it while working). */
  leaseMs: number;
  onWrite?(kind: WriteKind, outcome: WriteOutcome): void;
}

export type PrReportResult =
  | { kind: 'busy'; retryInMs: number }
  | { kind: 'handed-over' }
  | { kind: 'empty' }
  | { kind: 'reported'; rounds: number; writes: number };

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

const sameBot = (a: string, b: string) => a.replace(/\[bot\]$/, '') === b.replace(/\[bot\]$/, '');

/**
 * `redelivered`: this nudge came back (its handler failed or died). Only such a nudge waits for a
 * busy PR's lease to run out; a first delivery finding the PR busy is done (see below).
 */
export async function handlePrReport(
  deps: ReportCommentDeps,
  pr: PrRef,
  redelivered = false,
): Promise<PrReportResult> {
  const owner = deps.newOwner();
  let rounds = 0;
  let writes = 0;
  for (;;) {
    const claim = await deps.queue.claim(pr, owner, deps.leaseMs);
    if (claim.kind === 'busy') {
      // Another handler holds the PR. Our reports were queued before this nudge was sent, so
      // before the holder's `complete`, which then finds them pending and goes another round.
      // Should the holder fail, its own nudge comes back (nak, or ack_wait after a crash) as a
      // redelivery, and a redelivery waits for the dead holder's lease to run out, then takes
      // everything pending: so a first delivery finding the PR busy has nothing left to do.
      if (rounds > 0) return { kind: 'reported', rounds, writes };
      if (!redelivered) return { kind: 'handed-over' };
      const retryInMs = Math.min(deps.leaseMs, Math.max(250, claim.untilMs - deps.now() + 250));
      return { kind: 'busy', retryInMs };
    }
    if (claim.kind === 'empty')
      return rounds > 0 ? { kind: 'reported', rounds, writes } : { kind: 'empty' };
    // Keep the lease while working (budget waits included); a lost lease stops the next write.
    const lease = { lost: false };
    const beat = setInterval(() => {
      deps.queue.renew(pr, owner, deps.leaseMs).then(
        (held) => (lease.lost ||= !held),
        () => {},
      );
    }, deps.leaseMs / 3);
    try {
      writes += await reconcilePrComment(deps, pr, claim.items, lease);
    } catch (err) {
      await deps.queue.release(pr, owner).catch(() => {});
      throw err;
    } finally {
      clearInterval(beat);
    }
    rounds++;
    if ((await deps.queue.complete(pr, owner, claim.items)) === 0) {
      return { kind: 'reported', rounds, writes };
    }
  }
}

/** Brings the PR's comment in line with the pending reports; resolves to the writes made. */
async function reconcilePrComment(
  deps: ReportCommentDeps,
  pr: PrRef,
  items: PendingReport[],
  lease: { lost: boolean },
): Promise<number> {
  const settings = deps.getSettings();
  const mode = commentMode(settings, pr.org, pr.repo);
  if (mode === 'none') return 0;
  const jobs = (await Promise.all(items.map((i) => deps.store.get(i.name)))).filter(
    (j): j is ProwJob => j !== undefined,
  );
  const first = jobs[0];
  if (!first) return 0;
  let pjs: ProwJob[];
  if (mode === 'summary') {
    const labels = first.metadata.labels ?? {};
    const selector = {
      [Labels.org]: labels[Labels.org] ?? '',
      [Labels.repo]: labels[Labels.repo] ?? '',
      [Labels.pull]: labels[Labels.pull] ?? '',
    };
    pjs = summaryJobs(await deps.store.list(selector)) ?? [];
  } else {
    pjs = latestPerContext(jobs);
  }
  if (pjs.length === 0) return 0;

  const bot = await deps.reads.botLogin();
  const plan = planReportComment({
    pjs,
    comments: await deps.reads.listComments(pr),
    isBot: (login) => sameBot(login, bot),
    jobTypes: jobTypesToReport(settings),
    mustCreate: mode === 'summary',
    ...(deps.renderReportTemplate ? { template: deps.renderReportTemplate } : {}),
  });
  if (!plan) return 0;

  const log = deps.log.child({ org: pr.org, repo: pr.repo, pr: pr.number });
  let writes = 0;
  const write = async (kind: WriteKind, what: string, call: () => Promise<void>) => {
    await deps.pace(pr.org);
    if (lease.lost) throw new LeaseLostError(`${what}: the PR's comment lease was lost`);
    await performWrite(
      { what, log, now: deps.now, onOutcome: (o) => deps.onWrite?.(kind, o) },
      call,
    );
    writes++;
  };
  const repo = { org: pr.org, repo: pr.repo };
  for (const id of plan.deletes) {
    await write('comment_delete', `delete report comment ${id}`, () =>
      deps.writer.deleteComment(repo, id),
    );
  }
  if (plan.create !== undefined) {
    const body = plan.create;
    await write('comment_create', `create report comment on #${pr.number}`, () =>
      deps.writer.createComment(pr, body),
    );
  }
  if (plan.edit) {
    const { id, body } = plan.edit;
    await write('comment_edit', `edit report comment ${id}`, () =>
      deps.writer.editComment(repo, id, body),
    );
  }
  if (writes > 0)
    log.info({ writes, jobs: pjs.map((j) => j.metadata.name) }, 'test report comment updated');
  return writes;
}
