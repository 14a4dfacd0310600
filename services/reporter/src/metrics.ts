// reporter's Prometheus metrics. Re-registering on the same registry reuses the existing metric,
// so a service restarted in-process (tests, the all-in-one CLI) does not throw.
import { Counter, Histogram, type Registry } from 'prom-client';

export interface ReporterMetrics {
  /** GitHub writes by kind (status, later comment…) and outcome (success, gone, rate_limited…). */
  writes: Counter<'kind' | 'outcome'>;
  /** Seconds from the job's state change to the write that reported it, by job state. */
  latency: Histogram<'state'>;
}

const WRITES = 'jetprow_reporter_writes_total';
const LATENCY = 'jetprow_report_latency_seconds';

export function reporterMetrics(registry: Registry): ReporterMetrics {
  const writes =
    (registry.getSingleMetric(WRITES) as Counter<'kind' | 'outcome'> | undefined) ??
    new Counter({
      name: WRITES,
      help: 'GitHub writes made by reporter, by kind and outcome.',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    });
  const latency =
    (registry.getSingleMetric(LATENCY) as Histogram<'state'> | undefined) ??
    new Histogram({
      name: LATENCY,
      help: "Seconds from a ProwJob's state change to the GitHub write reporting it.",
      labelNames: ['state'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers: [registry],
    });
  return { writes, latency };
}
