// What every report target and the intent executor share, built once by startReporter: GitHub,
// the job store, the shared write budget (pace) and write ledger, log, clock, metrics and config.
// And the one way to make a GitHub write (write), which decides what its failure means.
import type { KV } from '@nats-io/kv';
import { RetryLaterError, TerminalError, type Log } from '@jetprow/bus';
import { claim, ensureKv, isWrongLastSequence, release, type BucketHost } from '@jetprow/kv';
import type { ProwJobType } from '@jetprow/schemas';
import type { JobStore } from '@jetprow/store';
import { GitHubWriteError, type GitHubReads, type GitHubWriter, type WriteKind } from './github.js';
import { kvKey } from './kv-key.js';
import type { ReporterMetrics } from './metrics.js';

/** What reporter reads of config.yaml, as libs/config gives it (with Prow's defaults applied). */
export interface ReporterConfig {
  github_reporter: {
    job_types_to_report: readonly ProwJobType[];
    /** Orgs or org/repos that get statuses but no comment. */
    no_comment_repos: readonly string[];
    /** Orgs or org/repos whose PRs get one comment once every job of the PR is complete. */
    summary_comment_repos: readonly string[];
  };
  /** `org/repo` | `org` | `*` → the Go template added to the failure comment. */
  plank: { report_templates: Readonly<Record<string, string>> };
}

export interface Runtime {
  store: JobStore;
  writer: GitHubWriter;
  reads: GitHubReads;
  ledger: WriteLedger;
  /** Waits for a write slot of the org's budget, shared by every replica (budget.ts). */
  pace(org: string): Promise<void>;
  metrics: ReporterMetrics;
  log: Log;
  now: () => number;
  /** The config as it is now: read on every use, never kept (hot reload is free). */
  config: () => ReporterConfig;
  /** How long a begun write is its writer's alone (CLAIM_LEASE_MS). */
  claimLeaseMs: number;
}

export const LEDGER_BUCKET = 'reporter-writes';
const WEEK_MS = 7 * 24 * 3600_000;
/**
 * How long a begun write is its writer's alone. A write is one GitHub request (the client's
 * timeout is 10 s) after its budget slot was reached, so a claim older than this has a dead holder.
 */
export const CLAIM_LEASE_MS = 30_000;

/** What is known of one write: never tried, being made (claimed), tried (outcome unknown), done. */
export interface Mark {
  state: 'new' | 'begun' | 'tried' | 'done';
  /** The revision of the mark read (0: none), which begin() claims over. */
  revision: number;
  /** How long ago the mark was written (server time), for a begun write's lease. */
  ageMs: number;
}

/**
 * Write-ahead marks for GitHub writes that must not happen twice (KV bucket reporter-writes,
 * entries kept a week): `begun <what>` under the write's key before it is sent (a claim: KV
 * create, so of replicas racing exactly one sends it), `tried <what>` when the request failed
 * with its outcome unknown, `done <what>` after. A begun mark is its holder's for CLAIM_LEASE_MS;
 * after that (the holder died mid-write), or once tried, whoever handles the same work looks on
 * GitHub before claiming it again.
 */
export interface WriteLedger {
  /** What is known of write `what` under `key` (a mark of another `what` counts as new). */
  read(key: string, what: string): Promise<Mark>;
  /** Claims `what` if the mark is still `seen`: the claim's revision, else undefined (lost). */
  begin(key: string, what: string, seen: Mark): Promise<number | undefined>;
  /** The claimed write failed, outcome unknown: free for the next handler (if still ours). */
  tried(key: string, what: string, claimed: number): Promise<void>;
  done(key: string, what: string): Promise<void>;
}

/** `host`: the bus (its replicas), or a bare JetStreamClient (tests). */
export async function openWriteLedger(host: BucketHost): Promise<WriteLedger> {
  return kvWriteLedger(await ensureKv(host, LEDGER_BUCKET, { history: 1, ttl: WEEK_MS }));
}

export function kvWriteLedger(kv: KV): WriteLedger {
  const states = ['begun', 'tried', 'done'] as const;
  return {
    async read(key, what) {
      const e = await kv.get(kvKey(key));
      if (e?.operation !== 'PUT') return { state: 'new', revision: 0, ageMs: 0 };
      const v = e.string();
      const state = states.find((s) => v === `${s} ${what}`) ?? 'new';
      return { state, revision: e.revision, ageMs: Math.max(0, Date.now() - e.created.getTime()) };
    },
    async begin(key, what, seen) {
      const k = kvKey(key);
      if (seen.revision > 0 && !(await release(kv, k, seen.revision))) return undefined;
      return claim(kv, k, `begun ${what}`);
    },
    async tried(key, what, claimed) {
      await kv.update(kvKey(key), `tried ${what}`, claimed).catch((err: unknown) => {
        if (!isWrongLastSequence(err)) throw err; // no longer ours: nothing to free
      });
    },
    async done(key, what) {
      await kv.put(kvKey(key), `done ${what}`);
    },
  };
}

/**
 * Makes the write `what` under `key` once, through the ledger. Resolves 'already' when it is done,
 * 'landed' when a writer that died or failed began it and `landed()` finds it on GitHub, else
 * claims it (after `before`, e.g. the wait for a slot) and resolves to what `make` did. A claim
 * another live writer holds, or won meanwhile, is a RetryLaterError: look again once it is done.
 */
export async function writeOnce(
  rt: Runtime,
  mark: { key: string; what: string },
  steps: { landed?: () => Promise<boolean>; before?: () => Promise<void> },
  make: () => Promise<'done' | 'gone'>,
): Promise<'already' | 'landed' | 'done' | 'gone'> {
  const { key, what } = mark;
  const leaseMs = rt.claimLeaseMs;
  const seen = await rt.ledger.read(key, what);
  if (seen.state === 'done') return 'already';
  if (seen.state === 'begun' && seen.ageMs < leaseMs) {
    const waitMs = Math.max(250, leaseMs - seen.ageMs);
    throw new RetryLaterError(`${key}: another writer is making ${what}`, waitMs);
  }
  if ((seen.state === 'begun' || seen.state === 'tried') && (await steps.landed?.())) {
    await rt.ledger.done(key, what);
    return 'landed';
  }
  await steps.before?.();
  const claimed = await rt.ledger.begin(key, what, seen);
  if (claimed === undefined) {
    throw new RetryLaterError(`${key}: another writer claimed ${what}`, 1000);
  }
  let made: 'done' | 'gone';
  try {
    made = await make();
  } catch (err) {
    await rt.ledger.tried(key, what, claimed).catch(() => {}); // else the lease frees it
    throw err;
  }
  await rt.ledger.done(key, what);
  return made;
}

export type WriteOutcome = 'success' | 'gone' | 'rate_limited' | 'retry' | 'rejected';

export type WriteFailure =
  /** Transient (5xx, network, 401…): retried with the consumer's back-off. */
  | { kind: 'retry' }
  /** Rate limited: retried once GitHub's wait is over. */
  | { kind: 'rate-limited'; delayMs: number }
  /** Can never be written (404, SHA gone, status cap): done, as Prow swallows it. */
  | { kind: 'gone' }
  /** GitHub refuses the request as made (400, other 422…): dropped, not recorded. */
  | { kind: 'rejected' };

/** GitHub asks for at least a minute's wait after a secondary rate limit without `retry-after`. */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;
/** Never park a message longer than this (the primary limit resets hourly anyway). */
export const MAX_RATE_LIMIT_WAIT_MS = 3600_000;
const MIN_RATE_LIMIT_WAIT_MS = 1000;

/**
 * The one place reporter reads GitHub's error *text*: a 422 to a status write is final only for
 * a SHA gone or at its cap of statuses, and GitHub gives no code that tells these apart from
 * ordinary validation failures. Prow matches the same two sentences (crier's github reporter).
 */
const FINAL_422_TEXT = ['reached the maximum number of statuses', 'No commit found for SHA'];

export function isFinalStatus422(body: unknown): boolean {
  const b = (typeof body === 'object' && body !== null ? body : {}) as {
    message?: unknown;
    errors?: unknown;
  };
  const texts = [typeof body === 'string' ? body : b.message];
  for (const e of Array.isArray(b.errors) ? (b.errors as unknown[]) : []) {
    texts.push(typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : e);
  }
  return texts.some((t) => typeof t === 'string' && FINAL_422_TEXT.some((f) => t.includes(f)));
}

/**
 * What to do about a failed write. A 403 may be a secondary limit without headers or a
 * permission problem; GitHub's documented answer to both is to wait (a minute) and retry.
 */
export function classifyWriteError(err: unknown): WriteFailure {
  if (!(err instanceof GitHubWriteError) || err.status === undefined) return { kind: 'retry' };
  const { status, retryAfterMs } = err;
  if (status === 403 || status === 429) {
    const ms = retryAfterMs ?? SECONDARY_LIMIT_WAIT_MS;
    const delayMs = Math.min(
      MAX_RATE_LIMIT_WAIT_MS,
      Math.max(MIN_RATE_LIMIT_WAIT_MS, Math.ceil(ms)),
    );
    return { kind: 'rate-limited', delayMs };
  }
  if (status === 404) return { kind: 'gone' };
  if (status === 422) return isFinalStatus422(err.body) ? { kind: 'gone' } : { kind: 'rejected' };
  // 401: a token being rotated; 408/409: transient by definition.
  if (status === 401 || status === 408 || status === 409) return { kind: 'retry' };
  return status >= 400 && status < 500 ? { kind: 'rejected' } : { kind: 'retry' };
}

/**
 * Makes one GitHub write, counted by kind and outcome. Resolves 'done', or 'gone' when it can
 * never be made; throws what the consumer acts on: RetryLaterError (rate limited, with GitHub's
 * wait), TerminalError (refused as made), or the GitHubWriteError itself (transient: back-off).
 */
export async function write(
  rt: Runtime,
  op: { kind: WriteKind; what: string; log: Log },
  call: () => Promise<void>,
): Promise<'done' | 'gone'> {
  const count = (outcome: WriteOutcome) => rt.metrics.writes.inc({ kind: op.kind, outcome });
  try {
    await call();
    count('success');
    return 'done';
  } catch (err) {
    const failure = classifyWriteError(err);
    const fields = { err: String(err), cause: String((err as Error).cause ?? '') };
    switch (failure.kind) {
      case 'gone':
        count('gone');
        op.log.info(fields, `${op.what}: can never be written (gone); done`);
        return 'gone';
      case 'rate-limited':
        count('rate_limited');
        throw new RetryLaterError(`${op.what}: rate limited`, failure.delayMs, { cause: err });
      case 'rejected':
        count('rejected');
        op.log.error(fields, `${op.what}: rejected by GitHub`);
        throw new TerminalError(`${op.what}: rejected by GitHub`, { cause: err });
      case 'retry':
        count('retry');
        throw err;
    }
  }
}
