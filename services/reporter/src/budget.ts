// The GitHub write budget shared by every reporter replica. A budget (a token, or an App
// installation) may make at most `count` content-creating writes in any `windowMs` per limit
// (GitHub: 80 a minute, 500 an hour). One KV record per budget (bucket reporter-budget) keeps the
// writes of the last window: `open` slots reserved and not yet answered, `slots` writes GitHub
// answered, at the time of the answer (it counted them no later). A writer reserves, by
// compare-and-swap, the earliest time that keeps every limit, never before a write already
// reserved (first come, first served) nor while GitHub asked us to wait (`blockedUntil`); sleeps
// until it; checks it once more against the answers recorded meanwhile; and goes. A slot further
// away than it may hold a message is not reserved: the message goes back to the bus with that
// delay (RetryLaterError), so the queue delays and never drops.
import type { KV } from '@nats-io/kv';
import { RetryLaterError, type Log } from '@jetprow/bus';
import { blockedUntil, type ObservedRequest, type RequestObserver } from '@jetprow/github';
import { casUpdate, ensureKv, readJson, type BucketHost } from '@jetprow/kv';
import type { WriteLimit } from '@jetprow/service';
import { keyedLock } from './keyed-lock.js';
import { kvKey } from './kv-key.js';
import type { ReporterMetrics } from './metrics.js';

export const BUDGET_BUCKET = 'reporter-budget';

export type { WriteLimit };

export interface BudgetRecord {
  /** Answered writes (epoch ms of the answer), ascending. */
  slots: number[];
  /** Reserved slots not yet answered, ascending. */
  open?: number[];
  /** GitHub said: nothing before this time (primary quota spent, secondary limit hit). */
  blockedUntil?: number;
}

const ascending = (a: number, b: number) => a - b;
const insert = (list: number[], at: number) => [...list, at].sort(ascending);
function without(list: number[], at: number): number[] {
  const i = list.indexOf(at);
  return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
}

/**
 * The earliest time a new write may go. `marginMs` widens every window: our clock, GitHub's and
 * the request's travel time differ, and a write sent late must not land in the next window.
 * With `own`, a writer checks its own reserved slot again: only the writes before it count.
 */
export function nextSlot(
  rec: BudgetRecord,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
  own?: number,
): number {
  const all = [...rec.slots, ...(rec.open ?? [])].sort(ascending);
  // Slots are distinct, so each writer knows which writes came before it.
  const writes = own === undefined ? all : without(all, own).filter((w) => w < own);
  const last = own === undefined && all.length > 0 ? all[all.length - 1]! + 1 : 0;
  let at = Math.max(nowMs, rec.blockedUntil ?? 0, last);
  for (const { count, windowMs } of limits) {
    // The count-th most recent write must have left the window before this one goes.
    const bound = writes[writes.length - count];
    if (bound !== undefined) at = Math.max(at, bound + windowMs + marginMs);
  }
  return at;
}

/** The record with a write reserved at `at`, and writes that can no longer matter dropped. */
export function reserveSlot(
  rec: BudgetRecord,
  at: number,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): BudgetRecord {
  return prune({ ...rec, open: insert(rec.open ?? [], at) }, nowMs, limits, marginMs);
}

/** A reserved slot moved (later: an earlier write was answered late), or given up. */
export function moveSlot(rec: BudgetRecord, from: number, to: number | undefined): BudgetRecord {
  const open = without(rec.open ?? [], from);
  return { ...rec, open: to === undefined ? open : insert(open, to) };
}

/** A write was answered at `at`: its slot (the earliest reserved not after `at`) becomes `at`. */
export function answerSlot(
  rec: BudgetRecord,
  at: number,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): BudgetRecord {
  const open = rec.open ?? [];
  const reserved = open.find((s) => s <= at);
  const next = { ...rec, open: reserved === undefined ? open : without(open, reserved) };
  return prune({ ...next, slots: insert(rec.slots, at) }, nowMs, limits, marginMs);
}

/** Keeps the writes still inside the longest window, at most as many as the largest count. */
export function pruneSlots(
  slots: number[],
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): number[] {
  const longest = Math.max(0, ...limits.map((l) => l.windowMs)) + marginMs;
  const most = Math.max(0, ...limits.map((l) => l.count));
  return slots.filter((s) => s > nowMs - longest).slice(-most);
}

function prune(
  rec: BudgetRecord,
  nowMs: number,
  limits: readonly WriteLimit[],
  marginMs: number,
): BudgetRecord {
  const out: BudgetRecord = { slots: pruneSlots(rec.slots, nowMs, limits, marginMs) };
  const open = pruneSlots(rec.open ?? [], nowMs, limits, marginMs);
  if (open.length > 0) out.open = open;
  if ((rec.blockedUntil ?? 0) > nowMs) out.blockedUntil = rec.blockedUntil!;
  return out;
}

export type WriteBudget = Awaited<ReturnType<typeof openWriteBudget>>;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export async function openWriteBudget(
  /** The bus (its replicas), or a bare JetStreamClient (tests). */
  host: BucketHost,
  opts: {
    limits: readonly WriteLimit[];
    /** Widens every window against clock skew and request travel time (default 1 s). */
    marginMs?: number | undefined;
    now?: () => number;
    /** Called with the time a write waited for its slot (metrics). */
    onWait?(budget: string, ms: number): void;
  },
) {
  const kv: KV = await ensureKv(host, BUDGET_BUCKET, { history: 1 });
  const { limits } = opts;
  const now = opts.now ?? Date.now;
  const margin = opts.marginMs ?? 1000;
  // Reservations of one process go one at a time per budget: no CAS fights among ourselves.
  const local = keyedLock();
  const update = (key: string, change: (rec: BudgetRecord) => BudgetRecord | undefined) =>
    casUpdate<BudgetRecord>(kv, key, (rec) => {
      const next = change(rec ?? { slots: [] });
      return next ? { put: next } : { keep: true };
    });
  const wait = (key: string, at: number) =>
    new RetryLaterError(`GitHub write budget ${key}: next slot in ${at - now()} ms`, at - now());

  async function reserve(key: string, maxWaitMs: number): Promise<number> {
    let at = 0;
    let tooFar = false;
    await update(key, (rec) => {
      const t = now();
      at = nextSlot(rec, t, limits, margin);
      tooFar = at - t > maxWaitMs;
      return tooFar ? undefined : reserveSlot(rec, at, t, limits, margin);
    });
    if (tooFar) throw wait(key, at);
    return at;
  }

  /**
   * Checks a reached slot against the record as it is now: earlier writes may have been answered
   * later than their slots, or GitHub may have asked to wait. Resolves to the slot (still good) or
   * the later one it was moved to; throws (the slot given up) when that is past `deadline`.
   */
  async function recheck(key: string, at: number, deadline: number): Promise<number> {
    let next = at;
    let tooFar = false;
    await update(key, (rec) => {
      // Judged at the slot's own time: only other writes and blocks can move it.
      next = nextSlot(rec, at, limits, margin, at);
      tooFar = next > at && next > deadline;
      return next <= at ? undefined : moveSlot(rec, at, tooFar ? undefined : next);
    });
    if (tooFar) throw wait(key, next);
    return Math.max(next, at);
  }

  return {
    /**
     * Resolves (to the slot's time) when a write on `budget` may go: its slot reserved and
     * reached, waiting at most `maxWaitMs`; else throws RetryLaterError with the delay, having
     * reserved nothing. An aborted `signal` (the process is stopping) ends the wait the same way:
     * the message goes back to the bus for another replica, its slot left unused.
     */
    async acquire(budget: string, maxWaitMs: number, signal?: AbortSignal): Promise<number> {
      const key = kvKey(budget);
      const since = now();
      let at = await local.run(key, () => reserve(key, maxWaitMs));
      for (;;) {
        // A timer may fire a millisecond early: never go before the slot.
        while (at > now() && !signal?.aborted) await sleep(at - now(), signal);
        if (signal?.aborted) {
          await update(key, (rec) => moveSlot(rec, at, undefined));
          throw new RetryLaterError(
            `GitHub write budget ${key}: stopping`,
            Math.max(0, at - now()),
          );
        }
        const checked = await local.run(key, () => recheck(key, at, since + maxWaitMs));
        if (checked === at) {
          opts.onWait?.(budget, now() - since);
          return at;
        }
        at = checked;
      }
    },
    /** GitHub answered a write on `budget` at `atMs`. */
    async answered(budget: string, atMs: number) {
      await update(kvKey(budget), (rec) => answerSlot(rec, atMs, now(), limits, margin));
    },
    /** GitHub asked for nothing more on `budget` before `untilMs`. */
    async block(budget: string, untilMs: number) {
      await update(kvKey(budget), (rec) =>
        (rec.blockedUntil ?? 0) >= untilMs ? undefined : { ...rec, blockedUntil: untilMs },
      );
    },
    /** Until when `budget` is blocked, if it is. */
    async blockedUntil(budget: string) {
      const until = (await readJson<BudgetRecord>(kv, kvKey(budget))).value?.blockedUntil;
      return until !== undefined && until > now() ? until : undefined;
    },
  };
}

export interface BudgetLink {
  observer: RequestObserver;
  attach(target: {
    budget: WriteBudget;
    metrics: ReporterMetrics;
    log: Log;
    /** The longest a read may wait for a block to pass before it is retried through the bus. */
    maxHoldMs: number;
    now: () => number;
  }): void;
  detach(): void;
}

const isRead = (req: ObservedRequest) => req.method === 'GET' || req.method === 'HEAD';
/** Content-creating requests, as the budget counts them (App token requests are not). */
const isWrite = (req: ObservedRequest) => !isRead(req) && !/^\/app(\/|$)/.test(req.path);

/**
 * Connects the GitHub client to the budget (created before the client, attached once the budget
 * is open): every answered write is recorded at the time of its answer, the rate-limit headers of
 * every answer feed the remaining-quota gauge, and a spent primary quota or a secondary-limit
 * answer blocks the budget for every replica until GitHub's reset / retry-after. Reads wait out a
 * block; writes already do (their slots are never given inside one).
 */
export function budgetLink(): BudgetLink {
  let t: Parameters<BudgetLink['attach']>[0] | undefined;
  return {
    attach: (target) => void (t = target),
    detach: () => void (t = undefined),
    observer: {
      async before(req) {
        if (!t || !isRead(req)) return;
        const until = await t.budget.blockedUntil(req.budget);
        if (until === undefined) return;
        const wait = until - t.now();
        if (wait > t.maxHoldMs) {
          throw new RetryLaterError(`GitHub budget ${req.budget} blocked for ${wait} ms`, wait);
        }
        await sleep(wait);
      },
      answered(req, { status, rateLimit }) {
        if (!t) return;
        const { budget, log, metrics, now } = t;
        const fields = { budget: req.budget };
        if (isWrite(req)) {
          budget.answered(req.budget, now()).catch((err: unknown) => {
            log.warn({ err: String(err), ...fields }, 'could not record a write');
          });
        }
        if (rateLimit.remaining !== undefined && (rateLimit.resource ?? 'core') === 'core') {
          metrics.rateLimitRemaining.set(fields, rateLimit.remaining);
        }
        const until = blockedUntil(rateLimit, now());
        if (until === undefined) return;
        log.warn(
          { ...fields, status, untilMs: until, waitMs: until - now() },
          'GitHub asked to wait: budget blocked for every replica',
        );
        budget.block(req.budget, until).catch((err: unknown) => {
          log.error({ err: String(err), ...fields }, 'could not record the block');
        });
      },
    },
  };
}
