// The PR's test report comment (crier's ReportComment, failure or summary), serialized per PR
// across replicas. report() adds a complete presubmit whose status is on GitHub to its PR's
// record in the KV bucket reporter-pr-reports (pending reports + a lease) and publishes a
// pr-report nudge on PROW_INTENTS. The nudge's handler takes the PR's lease, reads the pending
// jobs and the PR's comments, plans as Prow does, makes the writes (each paced) and drops the
// reports done, going again while reports arrived meanwhile: a burst of finished jobs costs one
// comment update. The lease expires, so a replica dying with it delays a comment, never loses it.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KV } from '@nats-io/kv';
import type { Bus } from '@jetprow/bus';
import { casUpdate, ensureKv, type BucketHost } from '@jetprow/kv';
import { GitHubReporterName, isComplete, Labels, type ProwJob } from '@jetprow/schemas';
import type { IssueRef, WriteKind } from './github.js';
import { publishPrReport } from './intents.js';
import { kvKey } from './kv-key.js';
import type { ReportTarget } from './report-loop.js';
import {
  commentMode,
  latestPerContext,
  planReportComment,
  renderReportTemplate,
  summaryJobs,
} from './report-comment.js';
import { write, type Runtime } from './runtime.js';
import { reportsStatus } from './status-target.js';

export const PR_QUEUE_BUCKET = 'reporter-pr-reports';

/** A job whose complete state is to be reflected in its PR's comment. */
export interface PendingReport {
  name: string;
  state: string;
}

interface PrRecord {
  pending: PendingReport[];
  lease?: { owner: string; until: number };
}

export type Claim =
  | { kind: 'claimed'; items: PendingReport[] }
  | { kind: 'busy'; untilMs: number }
  | { kind: 'empty' };

export type PrReportQueue = Awaited<ReturnType<typeof openPrReportQueue>>;

const same = (a: PendingReport, b: PendingReport) => a.name === b.name && a.state === b.state;

/** `host`: the bus (its replicas), or a bare JetStreamClient (tests). */
export async function openPrReportQueue(host: BucketHost, now: () => number = Date.now) {
  const kv: KV = await ensureKv(host, PR_QUEUE_BUCKET, { history: 1 });
  const held = (rec: PrRecord | undefined, owner: string) => rec?.lease?.owner === owner;
  /** Applies `change` by CAS; resolves to what it returned for the record that was stored. */
  async function update<R>(pr: IssueRef, change: (rec: PrRecord | undefined) => [R, PrRecord?]) {
    let result!: R;
    await casUpdate<PrRecord>(kv, kvKey(pr.org, pr.repo, pr.number), (rec) => {
      const [r, next] = change(rec);
      result = r;
      if (!next) return { keep: true };
      return next.pending.length === 0 && !next.lease ? { delete: true } : { put: next };
    });
    return result;
  }
  const lease = (owner: string, leaseMs: number) => ({ owner, until: now() + leaseMs });
  return {
    /** Adds a report (once); resolves to the record's revision that holds it. */
    async enqueue(pr: IssueRef, item: PendingReport): Promise<number> {
      const { revision } = await casUpdate<PrRecord>(kv, kvKey(pr.org, pr.repo, pr.number), (r) => {
        const rec = r ?? { pending: [] };
        if (rec.pending.some((p) => same(p, item))) return { keep: true };
        return { put: { ...rec, pending: [...rec.pending, item] } };
      });
      return revision;
    },
    /** Takes the PR's lease for `owner` and returns its pending reports, unless another holds it. */
    claim: (pr: IssueRef, owner: string, leaseMs: number) =>
      update<Claim>(pr, (rec) => {
        if (!rec) return [{ kind: 'empty' }];
        if ((rec.lease?.until ?? 0) > now() && !held(rec, owner)) {
          return [{ kind: 'busy', untilMs: rec.lease!.until }];
        }
        if (rec.pending.length === 0) return [{ kind: 'empty' }, { pending: [] }];
        return [
          { kind: 'claimed', items: rec.pending },
          { ...rec, lease: lease(owner, leaseMs) },
        ];
      }),
    /** Extends the lease; false when `owner` no longer holds it. */
    renew: (pr: IssueRef, owner: string, leaseMs: number) =>
      update<boolean>(pr, (rec) =>
        held(rec, owner) ? [true, { ...rec!, lease: lease(owner, leaseMs) }] : [false],
      ),
    /** Drops the reports done and releases the lease; resolves to how many remain. */
    complete: (pr: IssueRef, owner: string, done: readonly PendingReport[]) =>
      update<number>(pr, (rec) => {
        if (!rec) return [0];
        const pending = rec.pending.filter((p) => !done.some((d) => same(p, d)));
        const next = held(rec, owner) || !rec.lease ? { pending } : { pending, lease: rec.lease };
        return [pending.length, next];
      }),
    /** Gives the lease up without completing anything (after a failure). */
    release: (pr: IssueRef, owner: string) =>
      update<void>(pr, (rec) => [
        undefined,
        held(rec, owner) ? { pending: rec!.pending } : undefined,
      ]),
  };
}

export type PrReportResult =
  | { kind: 'busy'; retryInMs: number }
  | { kind: 'handed-over' }
  | { kind: 'empty' }
  | { kind: 'reported'; rounds: number; writes: number };

const sameBot = (a: string, b: string) => a.replace(/\[bot\]$/, '') === b.replace(/\[bot\]$/, '');

export interface PrComments {
  /** The report target: queues a complete presubmit's report for its PR's comment. */
  target: ReportTarget;
  /**
   * Handles a pr-report nudge. `redelivered`: it came back (its handler failed or died); only
   * such a nudge waits for a busy PR's lease to run out.
   */
  handle(pr: IssueRef, redelivered: boolean): Promise<PrReportResult>;
}

export function prComments(
  rt: Runtime,
  opts: {
    bus: Bus;
    queue: PrReportQueue;
    /** How long a lease lasts without renewal (renewed every third of it while working). */
    leaseMs: number;
  },
): PrComments {
  const { bus, queue, leaseMs } = opts;
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  let claims = 0;

  const target: ReportTarget = {
    // Part of crier's GitHub reporter: recorded with the status, under its name.
    name: GitHubReporterName,
    paced: false,
    shouldReport(pj) {
      const refs = pj.spec.refs;
      const config = rt.config();
      return (
        pj.spec.type === 'presubmit' &&
        isComplete(pj) &&
        refs?.pulls?.[0] !== undefined &&
        reportsStatus(pj, config) &&
        commentMode(config, refs.org, refs.repo) !== 'none'
      );
    },
    async report(pj) {
      const refs = pj.spec.refs!;
      const pr = { org: refs.org, repo: refs.repo, number: refs.pulls![0]!.number };
      const item = { name: pj.metadata.name, state: pj.status.state ?? '' };
      await publishPrReport(bus, pr, await queue.enqueue(pr, item));
      return 'written';
    },
  };

  async function handle(pr: IssueRef, redelivered: boolean): Promise<PrReportResult> {
    const owner = `${instance}-${++claims}`;
    let rounds = 0;
    let writes = 0;
    for (;;) {
      const claim = await queue.claim(pr, owner, leaseMs);
      if (claim.kind === 'busy') {
        // Another handler holds the PR. Our reports were queued before this nudge was sent, so
        // before the holder's `complete`, which then finds them pending and goes another round.
        // Should the holder fail, its own nudge comes back (nak, or ack_wait after a crash) as a
        // redelivery, and a redelivery waits for the dead holder's lease to run out, then takes
        // everything pending: so a first delivery finding the PR busy has nothing left to do.
        if (rounds > 0) return { kind: 'reported', rounds, writes };
        if (!redelivered) return { kind: 'handed-over' };
        return {
          kind: 'busy',
          retryInMs: Math.min(leaseMs, Math.max(250, claim.untilMs - rt.now() + 250)),
        };
      }
      if (claim.kind === 'empty') {
        return rounds > 0 ? { kind: 'reported', rounds, writes } : { kind: 'empty' };
      }
      // Keep the lease while working (budget waits included); a lost lease stops the next write.
      const lease = { lost: false };
      const beat = setInterval(() => {
        queue.renew(pr, owner, leaseMs).then(
          (held) => (lease.lost ||= !held),
          () => {},
        );
      }, leaseMs / 3);
      try {
        writes += await reconcileComment(pr, claim.items, lease);
      } catch (err) {
        await queue.release(pr, owner).catch(() => {});
        throw err;
      } finally {
        clearInterval(beat);
      }
      rounds++;
      if ((await queue.complete(pr, owner, claim.items)) === 0) {
        return { kind: 'reported', rounds, writes };
      }
    }
  }

  /** Brings the PR's comment in line with the pending reports; resolves to the writes made. */
  async function reconcileComment(
    pr: IssueRef,
    items: PendingReport[],
    lease: { lost: boolean },
  ): Promise<number> {
    const config = rt.config();
    const mode = commentMode(config, pr.org, pr.repo);
    if (mode === 'none') return 0;
    const jobs = (await Promise.all(items.map((i) => rt.store.get(i.name)))).filter(
      (j): j is ProwJob => j !== undefined,
    );
    const first = jobs[0];
    if (!first) return 0;
    const labels = first.metadata.labels ?? {};
    const selector = Object.fromEntries(
      [Labels.org, Labels.repo, Labels.pull].map((k) => [k, labels[k] ?? '']),
    );
    const pjs =
      mode === 'summary'
        ? (summaryJobs(await rt.store.list(selector, { fresh: true })) ?? [])
        : latestPerContext(jobs);
    if (pjs.length === 0) return 0;

    const bot = await rt.reads.botLogin();
    const plan = planReportComment({
      pjs,
      comments: await rt.reads.listComments(pr),
      isBot: (login) => sameBot(login, bot),
      jobTypes: config.github_reporter.job_types_to_report,
      mustCreate: mode === 'summary',
      template: (pj) => renderReportTemplate(config.plank.report_templates, pj, rt.log),
    });
    if (!plan) return 0;

    const log = rt.log.child({ org: pr.org, repo: pr.repo, pr: pr.number });
    let writes = 0;
    const make = async (kind: WriteKind, what: string, call: () => Promise<void>) => {
      await rt.pace(pr.org);
      if (lease.lost) throw new Error(`${what}: the PR's comment lease was lost`);
      await write(rt, { kind, what, log }, call);
      writes++;
    };
    const repo = { org: pr.org, repo: pr.repo };
    for (const id of plan.deletes) {
      await make('comment_delete', `delete report comment ${id}`, () =>
        rt.writer.deleteComment(repo, id),
      );
    }
    const { create, edit } = plan;
    if (create !== undefined) {
      await make('comment_create', `create report comment on #${pr.number}`, () =>
        rt.writer.createComment(pr, create),
      );
    }
    if (edit) {
      await make('comment_edit', `edit report comment ${edit.id}`, () =>
        rt.writer.editComment(repo, edit.id, edit.body),
      );
    }
    if (writes > 0) {
      log.info({ writes, jobs: pjs.map((j) => j.metadata.name) }, 'test report comment updated');
    }
    return writes;
  }

  return { target, handle };
}
