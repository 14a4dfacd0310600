// When a job entered its current state: completion, else pending, else start (creation) time.
import type { ProwJob } from '@jetprow/schemas';

/** Seconds from the job's last state change to `nowMs`; undefined without a parsable time. */
export function reportLatencySeconds(pj: ProwJob, nowMs: number): number | undefined {
  const s = pj.status;
  const at = Date.parse(s.completionTime ?? s.pendingTime ?? s.startTime);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (nowMs - at) / 1000);
}
