// 2. Comment → build-started latency through the whole system: hook, trigger, plank, reporter and
// sinker as separate service processes (the CLI users run), the fake GitHub in this process, one
// always_run presubmit. M `/test all` comments are sent one at a time (each a new delivery, so a
// new ProwJob), and each is timed from just before the POST to the moment the build's command
// ran. Baseline in the same run, interleaved sample by sample: bare `js.publish` → delivery at a
// `consume()`r on a second connection.
//
// How "build started" is detected, cheaply: the job's command is `date +%s%N` (as trivial as
// `true`, one exec), whose stdout the local runner already writes to the build's log file. So the
// build records, in nanoseconds, the moment its command ran, and the benchmark adds nothing to the
// measured path: it reads the file afterwards. To know when to go on, the benchmark watches the
// `prowjobs` KV bucket (one watch over its own connection: a few small messages per job) and
// waits until plank completed the job, so every sample starts with no build or reconcile in flight.
// It does not wait for reporter: reporter's GitHub writes are paced (plugin-throttling spaces
// writes 1 s apart per process unless reporter paces them itself), which can make every sample
// take seconds; they run in the background, off the measured path, and cost little CPU. At the
// end the benchmark checks, bounded, that reporter recorded the newest job's final state.
// The hops come from timestamps the services record anyway: the event's `received_at` (hook), the
// JetStream message time (nats-server), the ProwJob's `startTime` (trigger, at creation), the
// build's `meta.json` `startedAt` (plank, just before spawn) and `pendingTime` (plank, after).
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { connectBus, streamConfigs } from '@jetprow/bus';
import { Streams, prowJobName } from '@jetprow/core';
import { GitHubReporterName, isComplete, type ProwJob } from '@jetprow/schemas';
import { BUILD_WRAPPER } from '@jetprow/runner';
import { KvJobStore } from '@jetprow/store';
import type { ServiceProcess } from '@jetprow/testing';
import { serviceLogs } from '../test/support/e2e-env.js';
import {
  Cleanup,
  HEAD,
  JOB,
  commentDeliveries,
  keepAliveAgent,
  post,
  startService,
  stopService,
  webhookHeaders,
  within,
  type Rig,
} from './setup.js';
import { summarize, type Summary } from './stats.js';

export interface LatencyOptions {
  samples: number;
  warmup: number;
  /** No new sample is started after this moment (performance.now()), once 5 are taken... */
  stopBy: number;
  /** ...nor after this one, whatever the count. */
  hardStopBy: number;
  /** Services to run as processes; hook, trigger and plank are always needed. */
  services: string[];
  log: (line: string) => void;
}

const BARE_STREAM = 'BENCH_LATENCY';
const BARE_SUBJECT = 'bench.latency.issue_comment.acme.widgets';

export const HOPS = [
  ['clientToHook', 'POST → hook has the request (received_at)'],
  ['hookToStored', 'hook received → event stored (JetStream time)'],
  ['storedToAck', 'event stored → 200 back at the client'],
  ['storedToCreated', 'event stored → ProwJob created (trigger)'],
  ['createdToStart', 'ProwJob created → plank starts the build (KV → plank)'],
  ['startToCommand', 'plank starts the build → its command ran'],
] as const;
export type Hop = (typeof HOPS)[number][0];

export interface LatencyResult {
  samples: number;
  warmup: number;
  services: string[];
  bare: { deliveryMs: Summary; publishAckMs: Summary; spawnToCommandMs: Summary };
  system: {
    /** POST → the build's command ran: the headline figure. */
    buildStartedMs: Summary;
    /** POST → 200 from hook (the event is stored). */
    hookAckMs: Summary;
    /** POST → plank wrote `pending` (pendingTime, ms resolution). */
    pendingWrittenMs: Summary;
    /** POST → the KV watch in this process saw `pending` (the detection used to go on). */
    pendingSeenMs: Summary;
    hops: Record<Hop, Summary>;
    /** Sampled jobs whose final state reporter had recorded by the end (reporter lags by design). */
    reported: number;
    /** The last job: completion seen → its final state reported (bounded wait of 5 s), ms. */
    lastReportedAfterMs?: number;
  };
  /** Where a sample's wall time goes beyond the measured part (the benchmark's own pacing). */
  pacing: { iterationMs: Summary; pendingToCompleteSeenMs: Summary };
  /** Mean of trigger's prow_plugin_handle_duration_seconds over the run, ms. */
  triggerHandleMeanMs?: number;
}

/** Spawns the runner's wrapper running `date +%s%N` as plank does; ms from spawn to the command. */
async function spawnBaseline(dir: string): Promise<number> {
  mkdirSync(dir);
  const logFd = openSync(join(dir, 'log'), 'a');
  const now = wallClock();
  const t0 = now();
  const child = spawn('/bin/sh', ['-c', BUILD_WRAPPER, 'jetprow-build', dir, 'date', '+%s%N'], {
    cwd: dir,
    env: process.env,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  await within(new Promise((r) => child.once('exit', r)), 10_000, 'spawn baseline');
  const ns = BigInt(readFileSync(join(dir, 'log'), 'utf8').trim());
  return Number(ns / 1000n) / 1000 - t0;
}

interface Sample {
  delivery: string;
  name: string;
  t0: number;
  ack: number;
  pendingSeen: number;
}

/** Wall-clock ms with sub-ms resolution: Date.now()'s offset to performance.now(), taken at a
 * millisecond edge (so accurate to a few µs), re-taken before every sample (no drift). */
function wallClock(): () => number {
  const a = Date.now();
  let b = a;
  while (b === a) b = Date.now();
  const offset = b - performance.now();
  return () => offset + performance.now();
}

/** RFC 3339 with up to nanoseconds → epoch ms (fractional). */
function isoMs(ts: string | undefined): number {
  if (!ts) return Number.NaN;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return Date.parse(ts);
  const frac = m[2] ? Number(`0.${m[2]}`) * 1000 : 0;
  return Date.parse(`${m[1]}${m[3]}`) + frac;
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export async function runLatency(rig: Rig, opts: LatencyOptions): Promise<LatencyResult> {
  const cleanup = new Cleanup();
  try {
    return await latency(rig, opts, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function latency(rig: Rig, opts: LatencyOptions, cleanup: Cleanup): Promise<LatencyResult> {
  const { log } = opts;
  const phaseStart = performance.now();
  const { nats, dataDir, dir, hookPort } = rig;
  // hook runs already (the rig's); the other services start now, on an empty PROW_EVENTS.
  const services = [...new Set(['hook', 'trigger', 'plank', ...opts.services])];
  const withReporter = services.includes('reporter');
  const procs = new Map<string, ServiceProcess>([['hook', rig.hook]]);
  const started: ServiceProcess[] = [];
  cleanup.add('stop trigger, plank, reporter, sinker', () => Promise.all(started.map(stopService)));
  await Promise.all(
    services
      .filter((name) => name !== 'hook')
      .map(async (name) => procs.set(name, await startService(cleanup, name, rig.common, started))),
  );
  log(
    `  latency: ${services.length - 1} more services ready after ${((performance.now() - phaseStart) / 1000).toFixed(1)} s`,
  );
  const diagnose = (): string => serviceLogs(procs.values(), 2000);

  // The observer: a KV watch on prowjobs, dispatching to the sample waiting for that job.
  const observer = await connectBus(nats.url, 'bench-observer');
  cleanup.add('close observer', () => observer.close());
  const store = await KvJobStore.open(observer.js);
  const waiters = new Map<string, (pj: ProwJob) => void>();
  const watch = await store.watch((c) => {
    if (c.type === 'put' && c.job) waiters.get(c.name)?.(c.job);
  });
  cleanup.add('stop KV watch', () => watch.stop());

  // The baseline pair: a publisher and a consume()r, each on its own connection.
  const pub = await connectBus(nats.url, 'bench-latency-publisher');
  cleanup.add('close baseline publisher', () => pub.close());
  const sub = await connectBus(nats.url, 'bench-latency-consumer');
  cleanup.add('close baseline consumer', () => sub.close());
  const eventsCfg = streamConfigs().find((c) => c.name === Streams.events)!;
  await pub.jsm.streams.add({ ...eventsCfg, name: BARE_STREAM, subjects: ['bench.latency.>'] });
  await sub.jsm.consumers.add(BARE_STREAM, {
    durable_name: 'bench-latency',
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: 1000,
  });
  const bareWaiters = new Map<string, (at: number) => void>();
  const consumer = await sub.js.consumers.get(BARE_STREAM, 'bench-latency');
  const messages: ConsumerMessages = await consumer.consume({ max_messages: 8 }); // as trigger's runConsumer
  cleanup.add('stop baseline consumer', () => messages.stop());
  void (async () => {
    for await (const m of messages) {
      const at = performance.now();
      const id = m.headers?.get('Nats-Msg-Id') ?? '';
      bareWaiters.get(id)?.(at);
      m.ack();
    }
  })();

  const total = opts.warmup + opts.samples;
  const deliveries = commentDeliveries(total, () => '/test all');
  const agent = keepAliveAgent(cleanup, 1);
  const samples: Sample[] = [];
  const bareDelivery: number[] = [];
  const bareAck: number[] = [];
  const bareSpawn: number[] = [];
  const afterPending: number[] = [];
  const iterationMs: number[] = [];
  let lastReported: { promise: Promise<void>; completeSeen: number } | undefined;
  let lastName: string | undefined;

  for (let i = 0; i < total; i++) {
    const t = performance.now();
    if (t > opts.hardStopBy || (t > opts.stopBy && samples.length >= 5)) {
      log(`  (latency: time budget used up after ${samples.length} samples)`);
      break;
    }
    const body = deliveries[i]!;
    const iterationStart = performance.now();
    // Baseline sample: publish → delivered to the consume()r on the other connection.
    {
      const id = randomUUID();
      const got = deferred<number>();
      bareWaiters.set(id, got.resolve);
      const t0 = performance.now();
      const acked = pub.js
        .publish(BARE_SUBJECT, body.body, { msgID: id, timeout: 10_000 })
        .then(() => performance.now());
      const at = await within(got.promise, 10_000, 'baseline delivery');
      const ackAt = await acked;
      bareWaiters.delete(id);
      if (i >= opts.warmup) {
        bareDelivery.push(at - t0);
        bareAck.push(ackAt - t0);
      }
    }
    // System sample. Only the newest job keeps its waiter (for the reporter check at the end).
    if (lastName) waiters.delete(lastName);
    const delivery = randomUUID();
    const name = prowJobName(delivery, JOB, HEAD);
    const pending = deferred<void>();
    const complete = deferred<ProwJob>();
    const reported = deferred<void>();
    lastName = name;
    waiters.set(name, (pj) => {
      if (pj.status.state !== 'triggered') pending.resolve();
      if (isComplete(pj)) complete.resolve(pj);
      if (isComplete(pj) && pj.status.prev_report_states?.[GitHubReporterName] === pj.status.state)
        reported.resolve();
    });
    const now = wallClock();
    const t0 = now();
    const status = await post(agent, hookPort, '/hook', webhookHeaders(body, delivery), body.body);
    const ack = now();
    if (status !== 200)
      throw new Error(`hook answered ${status} to delivery ${delivery}\n${diagnose()}`);
    try {
      await within(pending.promise, 30_000, `job ${name} pending`);
      const pendingSeen = now();
      const done = await within(complete.promise, 30_000, `job ${name} complete`);
      const completeSeen = now();
      if (done.status.state !== 'success')
        throw new Error(`job ${name} ended ${done.status.state}: ${done.status.description}`);
      lastReported = { promise: reported.promise, completeSeen };
      if (i >= opts.warmup) {
        samples.push({ delivery, name, t0, ack, pendingSeen });
        afterPending.push(completeSeen - pendingSeen);
      }
    } catch (err) {
      throw new Error(`${String(err)}\n${diagnose()}`);
    }
    // Context baseline on the quiet system: the runner's way of starting a build, from here.
    const spawnMs = await spawnBaseline(join(dir, `spawn-${i}`));
    if (i >= opts.warmup) {
      bareSpawn.push(spawnMs);
      iterationMs.push(performance.now() - iterationStart);
    }
  }

  // reporter works through its paced writes in the background: give it a bounded moment to
  // report the newest job (a check that the whole chain ran; not a measured figure).
  let lastReportedAfterMs: number | undefined;
  if (withReporter && lastReported) {
    const now = wallClock();
    const ok = await within(lastReported.promise, 5_000, 'reporter').then(
      () => true,
      () => false,
    );
    if (ok) lastReportedAfterMs = now() - lastReported.completeSeen;
  }
  if (process.env.BENCH_DEBUG) {
    for (const p of procs.values()) {
      const lines = p
        .output()
        .split('\n')
        .filter((l) => /"level":(40|50|60)/.test(l));
      log(
        `--- ${p.name}: ${lines.length} warn/error log lines; last ones:\n${lines.slice(-5).join('\n')}`,
      );
    }
  }
  // After the runs: the timestamps the system recorded on its own.
  const events = new Map<string, { receivedAt: number; storedAt: number }>();
  const { first_seq: first, last_seq: last } = (await observer.jsm.streams.info(Streams.events))
    .state;
  for (let seq = first; seq <= last && first > 0; seq++) {
    const m = await observer.jsm.streams.getMessage(Streams.events, { seq }).catch(() => null);
    if (!m) continue;
    const ev = m.json<{ delivery: string; received_at: string }>();
    events.set(ev.delivery, { receivedAt: isoMs(ev.received_at), storedAt: isoMs(m.timestamp) });
  }
  let reported = 0;
  const cols = {
    buildStarted: [] as number[],
    hookAck: [] as number[],
    pendingWritten: [] as number[],
    pendingSeen: [] as number[],
  };
  const hops: Record<Hop, number[]> = {
    clientToHook: [],
    hookToStored: [],
    storedToAck: [],
    storedToCreated: [],
    createdToStart: [],
    startToCommand: [],
  };
  for (const s of samples) {
    const buildDir = join(dataDir, 'builds', s.name);
    const commandNs = BigInt(readFileSync(join(buildDir, 'log'), 'utf8').trim());
    const commandAt = Number(commandNs / 1000n) / 1000; // ns → ms, keeping µs
    const meta = JSON.parse(readFileSync(join(buildDir, 'meta.json'), 'utf8')) as {
      startedAt: string;
    };
    const startAt = isoMs(meta.startedAt);
    const job = await store.get(s.name);
    if (
      job &&
      isComplete(job) &&
      job.status.prev_report_states?.[GitHubReporterName] === job.status.state
    )
      reported++;
    const createdAt = isoMs(job?.status.startTime);
    const ev = events.get(s.delivery);
    cols.buildStarted.push(commandAt - s.t0);
    cols.hookAck.push(s.ack - s.t0);
    cols.pendingWritten.push(isoMs(job?.status.pendingTime) - s.t0);
    cols.pendingSeen.push(s.pendingSeen - s.t0);
    if (ev) {
      hops.clientToHook.push(ev.receivedAt - s.t0);
      hops.hookToStored.push(ev.storedAt - ev.receivedAt);
      hops.storedToAck.push(s.ack - ev.storedAt);
      hops.storedToCreated.push(createdAt - ev.storedAt);
    }
    hops.createdToStart.push(startAt - createdAt);
    hops.startToCommand.push(commandAt - startAt);
  }

  let triggerHandleMeanMs: number | undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${procs.get('trigger')!.metricsPort}/metrics`, {
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    let sum = 0;
    let count = 0;
    for (const line of text.split('\n')) {
      const m = /^prow_plugin_handle_duration_seconds_(sum|count)\{[^}]*\} ([0-9.e+-]+)$/.exec(
        line,
      );
      if (m?.[1] === 'sum') sum += Number(m[2]);
      else if (m?.[1] === 'count') count += Number(m[2]);
    }
    if (count > 0) triggerHandleMeanMs = (sum / count) * 1000;
  } catch {
    // context only
  }

  return {
    samples: samples.length,
    warmup: opts.warmup,
    services,
    bare: {
      deliveryMs: summarize(bareDelivery),
      publishAckMs: summarize(bareAck),
      spawnToCommandMs: summarize(bareSpawn),
    },
    system: {
      buildStartedMs: summarize(cols.buildStarted),
      hookAckMs: summarize(cols.hookAck),
      pendingWrittenMs: summarize(cols.pendingWritten),
      pendingSeenMs: summarize(cols.pendingSeen),
      hops: Object.fromEntries(Object.entries(hops).map(([k, v]) => [k, summarize(v)])) as Record<
        Hop,
        Summary
      >,
      reported,
      ...(lastReportedAfterMs !== undefined ? { lastReportedAfterMs } : {}),
    },
    pacing: {
      iterationMs: summarize(iterationMs),
      pendingToCompleteSeenMs: summarize(afterPending),
    },
    ...(triggerHandleMeanMs !== undefined ? { triggerHandleMeanMs } : {}),
  };
}
