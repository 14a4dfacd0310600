// A job's three pod timeouts: config.yaml's `plank:`, overridden per job by `decoration_config`
// (`pod_pending_timeout`, `pod_unscheduled_timeout`, `pod_running_timeout`; Prow's
// syncPendingJob reads `pj.Spec.DecorationConfig.Pod*Timeout` when set).
import { checkDuration, type PlankConfig } from '@jetprow/config';
import type { ProwJob } from '@jetprow/schemas';

/** The config.yaml timeouts (`plank.pod_*_timeout`, in ms as loaded). */
export type PlankTimeouts = Pick<
  PlankConfig,
  'pod_pending_timeout_ms' | 'pod_unscheduled_timeout_ms' | 'pod_running_timeout_ms'
>;

export interface JobTimeouts {
  pendingMs: number;
  unscheduledMs: number;
  runningMs: number;
}

/**
 * A duration the job sets for itself: a Go duration string (`"10m"`, as in job config and as Go
 * writes a metav1.Duration) or a number of nanoseconds (a time.Duration marshalled raw). Anything
 * else (validated away by the config loader) falls back to config.yaml's.
 */
function override(
  decoration: Record<string, unknown> | undefined,
  field: string,
): number | undefined {
  const v = decoration?.[field];
  if (typeof v === 'number' && Number.isFinite(v)) return v / 1e6;
  if (typeof v !== 'string') return undefined;
  const parsed = checkDuration(v);
  return 'ms' in parsed ? parsed.ms : undefined;
}

export function jobTimeouts(pj: ProwJob, plank: PlankTimeouts): JobTimeouts {
  const d = pj.spec.decoration_config;
  return {
    pendingMs: override(d, 'pod_pending_timeout') ?? plank.pod_pending_timeout_ms,
    unscheduledMs: override(d, 'pod_unscheduled_timeout') ?? plank.pod_unscheduled_timeout_ms,
    runningMs: override(d, 'pod_running_timeout') ?? plank.pod_running_timeout_ms,
  };
}
