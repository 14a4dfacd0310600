// plank's metrics. `prowjobs{job_name,type,state}` is Prow's gauge (kube.GatherProwJobMetrics);
// here every replica computes it from the feeder's view of the store, so it is live and the same
// on every replica (aggregate with max, not sum). Reconciles are counted by outcome.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ProwJob } from '@jetprow/schemas';
import type { JobChange } from '@jetprow/store';

export interface PlankMetrics {
  observeChange(change: JobChange): void;
  reconciled(outcome: string, seconds: number): void;
  reconcileFailed(seconds: number): void;
}

type Key = { job_name: string; type: string; state: string };
const keyOf = (pj: ProwJob): Key => ({
  job_name: pj.spec.job,
  type: pj.spec.type,
  state: pj.status.state ?? '',
});

export function plankMetrics(registry: Registry): PlankMetrics {
  const jobs = new Map<string, Key>();
  new Gauge({
    name: 'prowjobs',
    help: 'Number of prowjobs in the system',
    labelNames: ['job_name', 'type', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const k of jobs.values()) this.inc(k);
    },
  });
  const total = new Counter({
    name: 'plank_reconcile_total',
    help: 'ProwJob reconciles by outcome (error = failed, retried)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'plank_reconcile_duration_seconds',
    help: 'Time to reconcile one ProwJob',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observeChange(change) {
      if (change.type === 'put' && change.job) jobs.set(change.name, keyOf(change.job));
      else jobs.delete(change.name);
    },
    reconciled(outcome, seconds) {
      total.inc({ outcome });
      duration.observe(seconds);
    },
    reconcileFailed(seconds) {
      total.inc({ outcome: 'error' });
      duration.observe(seconds);
    },
  };
}
