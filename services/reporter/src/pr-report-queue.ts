// The failure-comment work of each pull request, shared by every reporter replica: one KV record
// per PR holding the job reports still to be reflected in the PR's comment, and a lease. The
// holder of the lease is the only one touching that PR's comment (crier serializes comment
// updates per PR with a lock; this is the same across processes). The lease expires, so a
// replica that dies holding it delays that PR's comment, never loses it.
import { Kvm, type KV } from '@nats-io/kv';
import type { JetStreamClient } from '@nats-io/jetstream';
import { casUpdate } from '@jetprow/kv';
import { kvKey } from './kv-key.js';

export const PR_QUEUE_BUCKET = 'reporter-pr-reports';

export interface PrRef {
  org: string;
  repo: string;
  number: number;
}

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

export interface PrReportQueue {
  /** Adds a report (once); resolves to the record's revision that holds it. */
  enqueue(pr: PrRef, item: PendingReport): Promise<number>;
  /** Takes the PR's lease for `owner` and returns its pending reports, unless another holds it. */
  claim(pr: PrRef, owner: string, leaseMs: number): Promise<Claim>;
  /** Extends the lease; false when `owner` no longer holds it. */
  renew(pr: PrRef, owner: string, leaseMs: number): Promise<boolean>;
  /** Drops the reports done and releases the lease; resolves to how many remain. */
  complete(pr: PrRef, owner: string, done: readonly PendingReport[]): Promise<number>;
  /** Gives the lease up without completing anything (after a failure). */
  release(pr: PrRef, owner: string): Promise<void>;
}

const same = (a: PendingReport, b: PendingReport) => a.name === b.name && a.state === b.state;
const prKey = (pr: PrRef) => kvKey(pr.org, pr.repo, pr.number);

export async function openPrReportQueue(
  js: JetStreamClient,
  now: () => number = Date.now,
): Promise<PrReportQueue> {
  return kvPrReportQueue(await new Kvm(js).create(PR_QUEUE_BUCKET, { history: 1 }), now);
}

export function kvPrReportQueue(kv: KV, now: () => number = Date.now): PrReportQueue {
  const leaseHeld = (rec: PrRecord, owner: string) => rec.lease?.owner === owner;
  const leaseLive = (rec: PrRecord) => (rec.lease?.until ?? 0) > now();
  return {
    async enqueue(pr, item) {
      const { revision } = await casUpdate<PrRecord>(kv, prKey(pr), (rec) => {
        const current = rec ?? { pending: [] };
        if (current.pending.some((p) => same(p, item))) return { keep: true };
        return { put: { ...current, pending: [...current.pending, item] } };
      });
      return revision;
    },
    async claim(pr, owner, leaseMs) {
      let claim: Claim = { kind: 'empty' };
      await casUpdate<PrRecord>(kv, prKey(pr), (rec) => {
        if (!rec) {
          claim = { kind: 'empty' };
          return { keep: true };
        }
        if (leaseLive(rec) && !leaseHeld(rec, owner)) {
          claim = { kind: 'busy', untilMs: rec.lease!.until };
          return { keep: true };
        }
        if (rec.pending.length === 0) {
          claim = { kind: 'empty' };
          return { delete: true };
        }
        claim = { kind: 'claimed', items: rec.pending };
        return { put: { pending: rec.pending, lease: { owner, until: now() + leaseMs } } };
      });
      return claim;
    },
    async renew(pr, owner, leaseMs) {
      let held = false;
      await casUpdate<PrRecord>(kv, prKey(pr), (rec) => {
        held = rec !== undefined && leaseHeld(rec, owner);
        if (!held) return { keep: true };
        return { put: { ...rec!, lease: { owner, until: now() + leaseMs } } };
      });
      return held;
    },
    async complete(pr, owner, done) {
      let remaining = 0;
      await casUpdate<PrRecord>(kv, prKey(pr), (rec) => {
        if (!rec) return { keep: true };
        const pending = rec.pending.filter((p) => !done.some((d) => same(p, d)));
        remaining = pending.length;
        const lease = leaseHeld(rec, owner) ? undefined : rec.lease;
        if (pending.length === 0 && !lease) return { delete: true };
        return { put: lease ? { pending, lease } : { pending } };
      });
      return remaining;
    },
    async release(pr, owner) {
      await casUpdate<PrRecord>(kv, prKey(pr), (rec) => {
        if (!rec || !leaseHeld(rec, owner)) return { keep: true };
        if (rec.pending.length === 0) return { delete: true };
        return { put: { pending: rec.pending } };
      });
    },
  };
}
