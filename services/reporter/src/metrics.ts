// reporter's Prometheus metrics. Re-registering on the same registry reuses the existing metric,
// so a service restarted in-process (tests, the all-in-one CLI) does not throw.
import { metricOnce } from '@jetprow/service';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface QueueSample {
  /** Messages not yet handled: undelivered plus in flight (across every replica). */
  depth: number;
  /** Age of the oldest of them, seconds (0 when none). */
  oldestAgeSeconds: number;
}

export interface ReporterMetrics {
  /** GitHub writes by kind (status, comment_create, label_add…) and outcome (success, gone…). */
  writes: Counter<'kind' | 'outcome'>;
  /** Seconds from the job's state change to the write that reported it, by job state. */
  latency: Histogram<'state'>;
  /** `x-ratelimit-remaining` last seen, per budget (a token or an App installation). */
  rateLimitRemaining: Gauge<'budget'>;
  /** Seconds a write waited for its slot in the shared write budget. */
  budgetWait: Histogram<'budget'>;
  /** Writes of this process waiting for their slot now. */
  budgetWaiting: Gauge;
  /** Where queue depth and age come from (sampled on every scrape). */
  setQueueSource(source: (() => Promise<Record<string, QueueSample>>) | undefined): void;
}

const WRITES = 'jetprow_reporter_writes_total';
const LATENCY = 'jetprow_report_latency_seconds';
const REMAINING = 'jetprow_github_rate_limit_remaining';
const BUDGET_WAIT = 'jetprow_reporter_budget_wait_seconds';
const BUDGET_WAITING = 'jetprow_reporter_budget_waiting_writes';
const QUEUE_DEPTH = 'jetprow_reporter_queue_depth';
const QUEUE_AGE = 'jetprow_reporter_queue_oldest_age_seconds';

type Sources = { current?: () => Promise<Record<string, QueueSample>> };
const sources = new WeakMap<Registry, Sources>();

export function reporterMetrics(registry: Registry): ReporterMetrics {
  const src: Sources = sources.get(registry) ?? {};
  sources.set(registry, src);
  const writes = metricOnce(
    registry,
    WRITES,
    () =>
      new Counter({
        name: WRITES,
        help: 'GitHub writes made by reporter, by kind and outcome.',
        labelNames: ['kind', 'outcome'],
        registers: [registry],
      }),
  );
  const latency = metricOnce(
    registry,
    LATENCY,
    () =>
      new Histogram({
        name: LATENCY,
        help: "Seconds from a ProwJob's state change to the GitHub write reporting it.",
        labelNames: ['state'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
        registers: [registry],
      }),
  );
  const rateLimitRemaining = metricOnce(
    registry,
    REMAINING,
    () =>
      new Gauge({
        name: REMAINING,
        help: 'GitHub primary rate limit left (x-ratelimit-remaining), per token or App installation.',
        labelNames: ['budget'],
        registers: [registry],
      }),
  );
  const budgetWait = metricOnce(
    registry,
    BUDGET_WAIT,
    () =>
      new Histogram({
        name: BUDGET_WAIT,
        help: 'Seconds a GitHub write waited for its slot in the write budget shared by all replicas.',
        labelNames: ['budget'],
        buckets: [0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
        registers: [registry],
      }),
  );
  const budgetWaiting = metricOnce(
    registry,
    BUDGET_WAITING,
    () =>
      new Gauge({
        name: BUDGET_WAITING,
        help: 'GitHub writes of this process waiting for their slot in the write budget.',
        registers: [registry],
      }),
  );
  // Queue gauges are sampled from the bus at scrape time: the queue is shared by every replica.
  let sample: Promise<Record<string, QueueSample>> | undefined;
  const sampled = () => {
    sample ??= (src.current?.() ?? Promise.resolve({})).finally(() =>
      setTimeout(() => (sample = undefined), 0),
    );
    return sample;
  };
  metricOnce(
    registry,
    QUEUE_DEPTH,
    () =>
      new Gauge({
        name: QUEUE_DEPTH,
        help: 'GitHub work not yet done, per queue (reports: statuses; intents: comments and labels).',
        labelNames: ['queue'],
        registers: [registry],
        async collect() {
          for (const [queue, s] of Object.entries(await sampled().catch(() => ({}))))
            this.set({ queue }, s.depth);
        },
      }),
  );
  metricOnce(
    registry,
    QUEUE_AGE,
    () =>
      new Gauge({
        name: QUEUE_AGE,
        help: 'Age in seconds of the oldest GitHub work not yet done, per queue.',
        labelNames: ['queue'],
        registers: [registry],
        async collect() {
          for (const [queue, s] of Object.entries(await sampled().catch(() => ({})))) {
            this.set({ queue }, s.oldestAgeSeconds);
          }
        },
      }),
  );
  return {
    writes,
    latency,
    rateLimitRemaining,
    budgetWait,
    budgetWaiting,
    setQueueSource(source) {
      src.current = source;
    },
  };
}
