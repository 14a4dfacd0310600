// Queue depth and the oldest write's age, read from a durable consumer's backlog on the bus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy } from '@nats-io/jetstream';
import { Registry } from 'prom-client';
import { connectBus, ensureConsumer, ensureStreams, publishJson, type Bus } from '@jetprow/bus';
import { reportSubject, Streams, Subjects } from '@jetprow/core';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { reporterMetrics } from './metrics.js';
import { consumerBacklog } from './queue-metrics.js';

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
