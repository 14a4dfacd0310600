// reporter's metrics: registered once per registry, the report latency of a job's last state
// change, and queue depth and the oldest write's age read from a durable consumer's backlog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import { connectBus, ensureConsumer, ensureStreams, publishJson, type Bus } from '@jetprow/bus';
import { reportSubject, Streams, Subjects } from '@jetprow/core';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { consumerBacklog, reportLatencySeconds, reporterMetrics } from './metrics.js';
import { presubmitJob } from '../testing/fixtures.js';

describe('reporterMetrics', () => {
  it('registers once per registry and hands back the same metrics on a restart', async () => {
    const registry = new Registry();
    const a = reporterMetrics(registry);
    const b = reporterMetrics(registry);
    expect(b.writes).toBe(a.writes);
    a.writes.inc({ kind: 'status', outcome: 'success' });
    b.latency.observe({ state: 'success' }, 1.5);
    const text = await registry.metrics();
    expect(text).toContain('jetprow_reporter_writes_total{kind="status",outcome="success"} 1');
    expect(text).toContain('jetprow_report_latency_seconds_count{state="success"} 1');
  });
});

describe('reportLatencySeconds: from the last state change', () => {
  const now = Date.parse('2024-05-01T10:10:00Z');
  const cases: { name: string; status: Record<string, string>; want: number | undefined }[] = [
    { name: 'triggered: since start', status: { startTime: '2024-05-01T10:09:00Z' }, want: 60 },
    {
      name: 'pending: since pendingTime',
      status: { startTime: '2024-05-01T10:00:00Z', pendingTime: '2024-05-01T10:09:30Z' },
      want: 30,
    },
    {
      name: 'complete: since completionTime',
      status: {
        startTime: '2024-05-01T10:00:00Z',
        pendingTime: '2024-05-01T10:01:00Z',
        completionTime: '2024-05-01T10:09:58Z',
      },
      want: 2,
    },
    {
      name: 'a clock ahead of ours counts as 0',
      status: { startTime: '2024-05-01T10:11:00Z' },
      want: 0,
    },
    { name: 'unparsable time', status: { startTime: 'yesterday' }, want: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const job = presubmitJob('j');
      job.status = { ...tc.status, startTime: tc.status.startTime! };
      expect(reportLatencySeconds(job, now)).toBe(tc.want);
    });
  }
});

let nats: NatsHarness;
let bus: Bus;
beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'queue-metrics');
  await ensureStreams(bus.jsm);
  await ensureConsumer(bus, Streams.reports, {
    durable_name: 'idle-reporter',
    ack_policy: AckPolicy.Explicit,
    filter_subject: Subjects.reports,
  });
});
afterAll(async () => {
  await bus.close();
  await nats.stop();
});

describe('consumerBacklog', () => {
  it('an empty queue: depth 0, age 0', async () => {
    expect(
      await consumerBacklog(bus, Streams.reports, 'idle-reporter', Subjects.reports, Date.now()),
    ).toEqual({
      depth: 0,
      oldestAgeSeconds: 0,
    });
  });

  it('counts what no replica has handled and ages the oldest; exported on every scrape', async () => {
    const first = Date.now();
    for (const ctx of ['a', 'b', 'c'])
      await publishJson(bus.js, reportSubject('o', 'r', 'sha', ctx), { name: ctx });
    const later = first + 90_000;
    const sample = await consumerBacklog(
      bus,
      Streams.reports,
      'idle-reporter',
      Subjects.reports,
      later,
    );
    expect(sample.depth).toBe(3);
    expect(sample.oldestAgeSeconds).toBeGreaterThanOrEqual(89);
    expect(sample.oldestAgeSeconds).toBeLessThanOrEqual(91);

    const registry = new Registry();
    reporterMetrics(registry).setQueueSource(async () => ({ reports: sample }));
    const text = await registry.metrics();
    expect(text).toContain('jetprow_reporter_queue_depth{queue="reports"} 3');
    expect(text).toMatch(/jetprow_reporter_queue_oldest_age_seconds\{queue="reports"\} (89|90|91)/);
  });
});
