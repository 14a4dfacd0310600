// The bus layout: four streams (docs/architecture.md). Created or updated idempotently by every
// service at start, so any service may start first.
import { nanos } from '@nats-io/transport-node';
import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Streams, Subjects } from '@jetprow/core';
import { isStreamNotFound } from '@jetprow/kv';

const DAY = 24 * 3600 * 1000;

export interface StreamOptions {
  /** Dedupe window for event deliveries (GitHub GUIDs), ms. Default 1 h. */
  eventsDuplicateWindowMs?: number;
  /** How long events stay replayable, ms. Default 7 d. */
  eventsMaxAgeMs?: number;
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

export async function ensureStreams(jsm: JetStreamManager, opts?: StreamOptions): Promise<void> {
  for (const cfg of streamConfigs(opts)) {
    try {
      await jsm.streams.info(cfg.name);
      await jsm.streams.update(cfg.name, cfg);
    } catch (err) {
      if (!isStreamNotFound(err)) throw err;
      try {
        await jsm.streams.add(cfg);
      } catch (addErr) {
        // Another service created it between our info and add: fine if it exists now.
        await jsm.streams.info(cfg.name).catch(() => {
          throw addErr;
        });
      }
    }
  }
}
