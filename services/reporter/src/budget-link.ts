// Connects the GitHub client to the shared write budget: every answered write is recorded at the
// time of its answer (GitHub counted it no later), the rate-limit headers of every answer feed
// the remaining-budget gauge, and a spent primary quota or a secondary-limit answer blocks the
// budget for every replica until GitHub's reset / retry-after. Reads wait out a block (writes
// already do: their slots are never given inside one). Created before the client, attached once
// the budget exists.
import type { Log } from '@jetprow/bus';
import { blockedUntil, type ObservedRequest, type RequestObserver } from '@jetprow/github';
import type { ReporterMetrics } from './metrics.js';
import { BudgetWaitError, type WriteBudget } from './write-budget.js';

export interface BudgetLinkTarget {
  budget: WriteBudget;
  metrics: ReporterMetrics;
  log: Log;
  /** The longest a read may wait for a block to pass before it is retried through the bus. */
  maxHoldMs: number;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface BudgetLink {
  observer: RequestObserver;
  attach(target: BudgetLinkTarget): void;
  detach(): void;
}

const isRead = (req: ObservedRequest) => req.method === 'GET' || req.method === 'HEAD';
/** Content-creating requests, as the budget counts them (App token requests are not). */
const isWrite = (req: ObservedRequest) => !isRead(req) && !/^\/app(\/|$)/.test(req.path);

export function budgetLink(): BudgetLink {
  let t: BudgetLinkTarget | undefined;
  return {
    attach(target) {
      t = target;
    },
    detach() {
      t = undefined;
    },
    observer: {
      async before(req) {
        if (!t || !isRead(req)) return;
        const until = await t.budget.blockedUntil(req.budget);
        if (until === undefined) return;
        const wait = until - t.now();
        if (wait > t.maxHoldMs) {
          throw new BudgetWaitError(`GitHub budget ${req.budget} blocked for ${wait} ms`, wait);
        }
        await (t.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))))(wait);
      },
      answered(req, { status, rateLimit }) {
        if (!t) return;
        const target = t;
        if (isWrite(req)) {
          // GitHub has counted this write by now: later windows count it from here.
          target.budget.answered(req.budget, target.now()).catch((err: unknown) => {
            target.log.warn({ err: String(err), budget: req.budget }, 'could not record a write');
          });
        }
        if (rateLimit.remaining !== undefined && (rateLimit.resource ?? 'core') === 'core') {
          target.metrics.rateLimitRemaining.set({ budget: req.budget }, rateLimit.remaining);
        }
        const until = blockedUntil(rateLimit, target.now());
        if (until === undefined) return;
        target.log.warn(
          { budget: req.budget, status, untilMs: until, waitMs: until - target.now() },
          'GitHub asked to wait: budget blocked for every replica',
        );
        target.budget.block(req.budget, until).catch((err: unknown) => {
          target.log.error({ err: String(err), budget: req.budget }, 'could not record the block');
        });
      },
    },
  };
}
