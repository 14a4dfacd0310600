// The bus layout: five streams (docs/architecture.md, "Bus layout"). Created or updated
// idempotently by every service at start, so any service may start first; each gets
// --nats-replicas replicas, and one with fewer is raised (libs/kv's ensureStream, the one place
// replicas are decided).
import { nanos } from '@nats-io/transport-node';
import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Streams, Subjects } from '@jetprow/core';
import { ensureStream } from '@jetprow/kv';
import type { Log } from './log.js';

const DAY = 24 * 3600 * 1000;

export interface StreamOptions {
  /** Dedupe window for event deliveries (GitHub GUIDs), ms. Default 1 h. */
  eventsDuplicateWindowMs?: number;
  /** How long events stay replayable, ms. Default 7 d. */
  eventsMaxAgeMs?: number;
  /**
   * Replicas of each stream (--nats-replicas, `bus.replicas`): a new stream gets them, one with
   * fewer is raised, one with more keeps its count. Undefined: create with 1, change no count.
   */
  replicas?: number;
  /** Where a raised replica count is logged. */
  log?: Log;
}

export function streamConfigs(
  opts: StreamOptions = {},
): (Partial<StreamConfig> & { name: string })[] {
  return [
    {
      name: Streams.events,
      subjects: [Subjects.events],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_age: nanos(opts.eventsMaxAgeMs ?? 7 * DAY),
      duplicate_window: nanos(opts.eventsDuplicateWindowMs ?? 3600_000),
    },
    {
      name: Streams.jobs,
      subjects: [Subjects.jobs],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    },
    {
      name: Streams.reports,
      subjects: [Subjects.reports],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      max_msgs_per_subject: 1,
      discard: DiscardPolicy.Old,
      max_age: nanos(7 * DAY),
      duplicate_window: nanos(120_000),
    },
    {
      name: Streams.intents,
      subjects: [Subjects.intents],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(3600_000),
    },
    {
      name: Streams.timers,
      subjects: [Subjects.timers],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      duplicate_window: nanos(120_000),
    },
  ];
}

export async function ensureStreams(
  jsm: JetStreamManager,
  opts: StreamOptions = {},
): Promise<void> {
  for (const cfg of streamConfigs(opts)) {
    await ensureStream(jsm, cfg, { replicas: opts.replicas, log: opts.log });
  }
}
