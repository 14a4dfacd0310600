// reporter's Prometheus metrics. Re-registering on the same registry reuses the existing metric,
// so a service restarted in-process (tests, the all-in-one CLI) does not throw.
import type { Bus } from '@jetprow/bus';
import type { ProwJob } from '@jetprow/schemas';
import { metricOnce } from '@jetprow/service';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface QueueSample {
  /** Messages not yet handled: undelivered plus in flight (across every replica). */
  depth: number;
  /** Age of the oldest of them, seconds (0 when none). */
  oldestAgeSeconds: number;
}
type QueueSource = () => Promise<Record<string, QueueSample>>;

export type ReporterMetrics = ReturnType<typeof reporterMetrics>;

const sources = new WeakMap<Registry, { current?: QueueSource }>();

export function reporterMetrics(registry: Registry) {
  const src = sources.get(registry) ?? {};
  sources.set(registry, src);
  const once = <M>(name: string, make: (base: { name: string; registers: Registry[] }) => M) =>
    metricOnce(registry, name, () => make({ name, registers: [registry] }));
  // Queue gauges are sampled from the bus at scrape time: the queue is shared by every replica.
  let sample: Promise<Record<string, QueueSample>> | undefined;
  const sampled = () => {
    sample ??= (src.current?.() ?? Promise.resolve({})).finally(() =>
      setTimeout(() => (sample = undefined), 0),
    );
    return sample.catch(() => ({}));
  };
  const queueGauge = (name: string, help: string, field: keyof QueueSample) =>
    once(
      name,
      (base) =>
        new Gauge({
          ...base,
          help,
          labelNames: ['queue'],
          async collect() {
            for (const [queue, s] of Object.entries(await sampled())) this.set({ queue }, s[field]);
          },
        }),
    );
  queueGauge(
    'jetprow_reporter_queue_depth',
    'GitHub work not yet done, per queue (reports: statuses; intents: comments and labels).',
    'depth',
  );
  queueGauge(
    'jetprow_reporter_queue_oldest_age_seconds',
    'Age in seconds of the oldest GitHub work not yet done, per queue.',
    'oldestAgeSeconds',
  );
  return {
    /** GitHub writes by kind (status, comment_create, label_add…) and outcome (success, gone…). */
    writes: once(
      'jetprow_reporter_writes_total',
      (base) =>
        new Counter({
          ...base,
          help: 'GitHub writes made by reporter, by kind and outcome.',
          labelNames: ['kind', 'outcome'],
        }),
    ),
    /** Seconds from the job's state change to the write that reported it, by job state. */
    latency: once(
      'jetprow_report_latency_seconds',
      (base) =>
        new Histogram({
          ...base,
          help: "Seconds from a ProwJob's state change to the GitHub write reporting it.",
          labelNames: ['state'],
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
        }),
    ),
    /** `x-ratelimit-remaining` last seen, per budget (a token or an App installation). */
    rateLimitRemaining: once(
      'jetprow_github_rate_limit_remaining',
      (base) =>
        new Gauge({
          ...base,
          help: 'GitHub primary rate limit left (x-ratelimit-remaining), per token or App installation.',
          labelNames: ['budget'],
        }),
    ),
    /** Seconds a write waited for its slot in the shared write budget. */
    budgetWait: once(
      'jetprow_reporter_budget_wait_seconds',
      (base) =>
        new Histogram({
          ...base,
          help: 'Seconds a GitHub write waited for its slot in the write budget shared by all replicas.',
          labelNames: ['budget'],
          buckets: [0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
        }),
    ),
    /** Writes of this process waiting for their slot now. */
    budgetWaiting: once(
      'jetprow_reporter_budget_waiting_writes',
      (base) =>
        new Gauge({
          ...base,
          help: 'GitHub writes of this process waiting for their slot in the write budget.',
        }),
    ),
    /** Where queue depth and age come from (sampled on every scrape). */
    setQueueSource: (source: QueueSource | undefined) => void (src.current = source),
  };
}

/**
 * The backlog of a durable consumer, read from the bus (shared by every replica): messages not yet
 * handled, and the age of the oldest (the first after the consumer's ack floor on its filter).
 */
export async function consumerBacklog(
  bus: Bus,
  stream: string,
  durable: string,
  filter: string,
  nowMs: number,
): Promise<QueueSample> {
  const info = await bus.jsm.consumers.info(stream, durable);
  const depth = info.num_pending + info.num_ack_pending;
  if (depth === 0) return { depth, oldestAgeSeconds: 0 };
  // nats-server 2.9 answers `next_by_subj`: the first message at or after `seq` on the filter.
  const query = { seq: info.ack_floor.stream_seq + 1, next_by_subj: filter };
  const oldest = await bus.jsm.streams.getMessage(stream, query).catch(() => null);
  const age = oldest ? Math.max(0, (nowMs - oldest.time.getTime()) / 1000) : 0;
  return { depth, oldestAgeSeconds: age };
}

/** Seconds from the job's last state change (completion, pending, start) to `nowMs`. */
export function reportLatencySeconds(pj: ProwJob, nowMs: number): number | undefined {
  const s = pj.status;
  const at = Date.parse(s.completionTime ?? s.pendingTime ?? s.startTime);
  return Number.isNaN(at) ? undefined : Math.max(0, (nowMs - at) / 1000);
}
