// The GitHub write budget shared by every reporter replica: one KV record per budget (a token,
// or an App installation) holding the writes of the last window (reserved slots, and answered
// writes at their answer time: budget-slots.ts), updated by compare-and-swap. A writer reserves
// the next free slot, sleeps until it (a queue that delays, never drops), checks it once more
// against writes answered meanwhile, and goes; when the slot is further away than it may hold a
// message, nothing is reserved and it hands the message back to the bus with that delay instead.
// GitHub's own "stop" (a spent primary quota, a secondary-limit answer) is recorded on the same
// record, so every replica honours it.
import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import { RetryLaterError } from '@jetprow/bus';
import {
  answerSlot,
  moveSlot,
  nextSlot,
  reserveSlot,
  type BudgetRecord,
  type WriteLimit,
} from './budget-slots.js';
import { casUpdate, readJson } from '@jetprow/kv';
import { keyedLock } from './keyed-lock.js';
import { kvKey } from './kv-key.js';

export const BUDGET_BUCKET = 'reporter-budget';

/** The next write slot is further away than this process may hold a message. */
export class BudgetWaitError extends RetryLaterError {}

export interface WriteBudgetOptions {
  limits: readonly WriteLimit[];
  /** Widens every window against clock skew and request travel time (default 1 s). */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called with the time a write waited for its slot (metrics). */
  onWait?(budget: string, ms: number): void;
}

export interface WriteBudget {
  /**
   * Resolves (to the slot's time) when a write on `budget` may go: its slot reserved and reached,
   * waiting at most `maxWaitMs`; else throws BudgetWaitError carrying the delay, having reserved
   * nothing. An aborted `signal` (the process is stopping) ends the wait the same way: the
   * message goes back to the bus for another replica, its slot left unused.
   */
  acquire(budget: string, maxWaitMs: number, signal?: AbortSignal): Promise<number>;
  /** GitHub answered a write on `budget` at `atMs` (it counted it by then). */
  answered(budget: string, atMs: number): Promise<void>;
  /** GitHub asked for nothing more on `budget` before `untilMs`. */
  block(budget: string, untilMs: number): Promise<void>;
  /** Until when `budget` is blocked, if it is. */
  blockedUntil(budget: string): Promise<number | undefined>;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export async function openWriteBudget(
  js: JetStreamClient,
  opts: WriteBudgetOptions,
): Promise<WriteBudget> {
  const kv = await new Kvm(js).create(BUDGET_BUCKET, { history: 1 });
  return kvWriteBudget(kv, opts);
}

export function kvWriteBudget(kv: KV, opts: WriteBudgetOptions): WriteBudget {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const margin = opts.marginMs ?? 1000;
  // Reservations of one process go one at a time per budget: no CAS fights among ourselves.
  const local = keyedLock();

  async function reserve(key: string, maxWaitMs: number): Promise<number> {
    let at = 0;
    let tooFar = false;
    await casUpdate<BudgetRecord>(kv, key, (rec) => {
      const current = rec ?? { slots: [] };
      const t = now();
      at = nextSlot(current, t, opts.limits, margin);
      tooFar = at - t > maxWaitMs;
      if (tooFar) return { keep: true };
      return { put: reserveSlot(current, at, t, opts.limits, margin) };
    });
    if (tooFar)
      throw new BudgetWaitError(
        `GitHub write budget ${key}: next slot in ${at - now()} ms`,
        at - now(),
      );
    return at;
  }

  async function blockedUntil(key: string): Promise<number | undefined> {
    const { value } = await readJson<BudgetRecord>(kv, key);
    const until = value?.blockedUntil;
    return until !== undefined && until > now() ? until : undefined;
  }

  /**
   * Checks a reached slot against the record as it is now: earlier writes may have been answered
   * later than their slots, or GitHub may have asked to wait. Resolves to the slot (still good),
   * or the later slot it was moved to; throws BudgetWaitError (slot given up) when too far.
   */
  async function recheck(key: string, at: number, deadline: number): Promise<number> {
    let next = at;
    let tooFar = false;
    await casUpdate<BudgetRecord>(kv, key, (rec) => {
      const current = rec ?? { slots: [] };
      // Judged at the slot's own time: only other writes and blocks can move it.
      next = nextSlot(current, at, opts.limits, margin, at);
      if (next <= at) return { keep: true };
      tooFar = next > deadline;
      return { put: moveSlot(current, at, tooFar ? undefined : next) };
    });
    if (tooFar) {
      throw new BudgetWaitError(
        `GitHub write budget ${key}: next slot in ${next - now()} ms`,
        next - now(),
      );
    }
    return Math.max(next, at);
  }

  return {
    async acquire(budget, maxWaitMs, signal) {
      const key = kvKey(budget);
      const since = now();
      const deadline = since + maxWaitMs;
      let at = await local.run(key, () => reserve(key, maxWaitMs));
      for (;;) {
        if (at > now()) await sleep(at - now(), signal);
        if (signal?.aborted) {
          await casUpdate<BudgetRecord>(kv, key, (rec) => ({
            put: moveSlot(rec ?? { slots: [] }, at, undefined),
          }));
          throw new BudgetWaitError(
            `GitHub write budget ${key}: stopping`,
            Math.max(0, at - now()),
          );
        }
        const checked = await local.run(key, () => recheck(key, at, deadline));
        if (checked === at) {
          opts.onWait?.(budget, now() - since);
          return at;
        }
        at = checked;
      }
    },
    async answered(budget, atMs) {
      await casUpdate<BudgetRecord>(kv, kvKey(budget), (rec) => ({
        put: answerSlot(rec ?? { slots: [] }, atMs, now(), opts.limits, margin),
      }));
    },
    async block(budget, untilMs) {
      await casUpdate<BudgetRecord>(kv, kvKey(budget), (rec) => {
        const current = rec ?? { slots: [] };
        if ((current.blockedUntil ?? 0) >= untilMs) return { keep: true };
        return { put: { ...current, blockedUntil: untilMs } };
      });
    },
    blockedUntil: (budget) => blockedUntil(kvKey(budget)),
  };
}
