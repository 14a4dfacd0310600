// Prow's sinker metrics (cmd/sinker/main.go), gauges set after every pass. Unlike Prow, every
// reason is set on every pass (0 included), so a value never lingers from an older pass.
// The `reason` label of the error gauges is the cleaning reason (Prow uses the Kubernetes
// error reason, which a non-Kubernetes backend does not have).
import { metricOnce } from '@jetprow/service';
import { Gauge, type Registry } from 'prom-client';
import {
  BuildRemovalReasons,
  ProwJobCleanReasons,
  type BuildCounts,
  type ProwJobCounts,
} from './reasons.js';
import type { CleanSummary } from './summary.js';

export interface SinkerMetrics {
  record(summary: CleanSummary, durationSeconds: number): void;
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[] = []): Gauge {
  return metricOnce(
    registry,
    name,
    () => new Gauge({ name, help, labelNames, registers: [registry] }),
  );
}

function setByReason<R extends string>(
  g: Gauge,
  reasons: readonly R[],
  counts: Record<R, number>,
): void {
  for (const r of reasons) g.set({ reason: r }, counts[r]);
}

const each = 'in each sinker cleaning.';

export function sinkerMetrics(registry: Registry): SinkerMetrics {
  const podsExisting = gauge(
    registry,
    'sinker_pods_existing',
    `Number of the existing pods ${each}`,
  );
  const loop = gauge(registry, 'sinker_loop_duration_seconds', `Time used ${each}`);
  const podsRemoved = gauge(registry, 'sinker_pods_removed', `Number of pods removed ${each}`, [
    'reason',
  ]);
  const podErrors = gauge(
    registry,
    'sinker_pod_removal_errors',
    'Number of errors which occurred in each sinker pod cleaning.',
    ['reason'],
  );
  const jobsExisting = gauge(
    registry,
    'sinker_prow_jobs_existing',
    `Number of the existing prow jobs ${each}`,
  );
  const jobsCleaned = gauge(
    registry,
    'sinker_prow_jobs_cleaned',
    `Number of prow jobs cleaned ${each}`,
    ['reason'],
  );
  const jobErrors = gauge(
    registry,
    'sinker_prow_jobs_cleaning_errors',
    'Number of errors which occurred in each sinker prow job cleaning.',
    ['reason'],
  );
  return {
    record(s, durationSeconds) {
      podsExisting.set(s.buildsExisting);
      loop.set(durationSeconds);
      jobsExisting.set(s.prowJobsExisting);
      setByReason<keyof BuildCounts>(podsRemoved, BuildRemovalReasons, s.buildsDeleted);
      setByReason<keyof BuildCounts>(podErrors, BuildRemovalReasons, s.buildErrors);
      setByReason<keyof ProwJobCounts>(jobsCleaned, ProwJobCleanReasons, s.prowJobsDeleted);
      setByReason<keyof ProwJobCounts>(jobErrors, ProwJobCleanReasons, s.prowJobErrors);
    },
  };
}
