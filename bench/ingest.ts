// 1. Hook ingest rate: signed issue_comment webhooks POSTed to hook over real HTTP with a bounded
// number in flight, each answered 200 only after JetStream acknowledged the event. Baseline in
// the same run, on the same nats-server: bare `js.publish` of the same bytes with msg-id dedupe
// from one client with the same window. Variants run in interleaved rounds so that noise from
// other tenants of the machine hits all of them alike.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { connectBus, ensureStreams, streamConfigs, type Bus } from '@jetprow/bus';
import { Streams } from '@jetprow/core';
import { singleTokenSecrets, startHook, type RunningHook } from '@jetprow/hook';
import { newRegistry } from '@jetprow/service';
import {
  Cleanup,
  SECRET,
  commentDeliveries,
  keepAliveAgent,
  post,
  processCpuMs,
  runWindow,
  selfCpuMs,
  webhookHeaders,
  type Delivery,
  type Rig,
  type WindowResult,
} from './setup.js';
import { summarize, type Summary } from './stats.js';

export interface IngestOptions {
  n: number;
  concurrency: number;
  warmup: number;
  rounds: number;
  /** No new delivery is started after this long in one run. */
  runBudgetMs: number;
  /** No new round (after the first) is started after this moment (performance.now()). */
  stopBy: number;
  log: (line: string) => void;
}

export type VariantName = 'bare' | 'hookProcess' | 'hookInProcess' | 'httpNullInProcess';

export const VARIANT_LABELS: Record<VariantName, string> = {
  bare: 'bare js.publish, msgID (baseline)',
  hookProcess: 'hook, service process',
  hookInProcess: 'hook, in-process startHook',
  httpNullInProcess: 'null HTTP server, in-process (context)',
};

export interface VariantRun {
  round: number;
  ok: number;
  errors: number;
  firstError?: string;
  seconds: number;
  /** Successful deliveries per second. */
  rate: number;
  latencyMs: Summary;
  /** Messages in the stream after the run (must equal ok: nothing lost, nothing twice). */
  stored?: number;
  /** CPU ms per delivery: the hook process (hookProcess only), nats-server, this process. */
  cpuMsPerEvent: { hook?: number; nats?: number; bench?: number };
  /** Mean of hook's jetprow_hook_publish_seconds (normalize + JetStream ack), ms. */
  hookPublishMeanMs?: number;
}

export interface IngestResult {
  n: number;
  concurrency: number;
  bodyBytes: { min: number; max: number };
  /** Bytes of the message hook put on PROW_EVENTS for one delivery (normalized + raw). */
  hookMessageBytes?: number;
  variants: Record<VariantName, VariantRun[]>;
}

const BARE_STREAM = 'BENCH_INGEST';
const BARE_SUBJECT = 'bench.ingest.issue_comment.acme.widgets';

/** Sum and count of hook's publish histogram from a Prometheus text exposition. */
function publishSeconds(metrics: string): { sum: number; count: number } {
  let sum = 0;
  let count = 0;
  for (const line of metrics.split('\n')) {
    const m =
      /^jetprow_hook_publish_seconds_(sum|count)\{[^}]*outcome="stored"[^}]*\} ([0-9.e+-]+)$/.exec(
        line,
      );
    if (!m) continue;
    if (m[1] === 'sum') sum += Number(m[2]);
    else count += Number(m[2]);
  }
  return { sum, count };
}

export async function runIngest(rig: Rig, opts: IngestOptions): Promise<IngestResult> {
  const cleanup = new Cleanup();
  try {
    return await ingest(rig, opts, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function ingest(rig: Rig, opts: IngestOptions, cleanup: Cleanup): Promise<IngestResult> {
  const { n, concurrency, log } = opts;
  const { nats, hook: hookProc, hookPort } = rig;

  // The bench's own connections: one for management, one for the bare publisher (as hook has
  // its own).
  const admin = await connectBus(nats.url, 'bench-admin');
  cleanup.add('close admin connection', () => admin.close());
  await ensureStreams(admin.jsm);
  const eventsCfg = streamConfigs().find((c) => c.name === Streams.events)!;
  await admin.jsm.streams.add({ ...eventsCfg, name: BARE_STREAM, subjects: ['bench.ingest.>'] });
  // Leave nothing behind for the latency phase: its trigger must start on an empty PROW_EVENTS.
  cleanup.add('delete the ingest stream, purge PROW_EVENTS', async () => {
    await admin.jsm.streams.delete(BARE_STREAM);
    await admin.jsm.streams.purge(Streams.events);
  });
  const barePub = await connectBus(nats.url, 'bench-bare-publisher');
  cleanup.add('close bare publisher', () => barePub.close());

  // Deliveries: distinct bodies, signed up front (the client must not be what is measured).
  const deliveries = commentDeliveries(Math.max(n, opts.warmup), (i) =>
    i % 7 === 0
      ? 'Thanks! Looks good to me, merging once the tests are green.'
      : `Nit: see line ${i % 97}; otherwise LGTM.`,
  );
  const sizes = deliveries.map((d) => d.body.length);

  // hook in this process: its own bus connection, a real pino logger (to /dev/null) and registry.
  const inprocBus: Bus = await connectBus(nats.url, 'bench-hook-inprocess');
  cleanup.add('close in-process hook connection', () => inprocBus.close());
  const registry = newRegistry('hook');
  const hookLog = pino({ level: 'info', base: { service: 'hook' } }, pino.destination('/dev/null'));
  const inproc: RunningHook = await startHook({
    bus: inprocBus,
    getSecrets: () => singleTokenSecrets(SECRET),
    log: hookLog,
    registry,
    port: 0,
    host: '127.0.0.1',
  });
  cleanup.add('stop in-process hook', () => inproc.stop());

  // A null HTTP server in this process: reads the body, answers 200. The ceiling of the
  // in-process HTTP path with this client (no HMAC, no JSON, no bus).
  const nullServer = http.createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => nullServer.listen(0, '127.0.0.1', () => r()));
  cleanup.add(
    'close null server',
    () =>
      new Promise<void>((r) => {
        nullServer.closeAllConnections();
        nullServer.close(() => r());
      }),
  );
  const nullPort = (nullServer.address() as AddressInfo).port;

  const agent = keepAliveAgent(cleanup, concurrency);
  const viaHttp = (port: number) => (d: Delivery, guid: string) =>
    post(agent, port, '/hook', webhookHeaders(d, guid), d.body).then((s) => s === 200);
  const senders: Record<VariantName, (d: Delivery, guid: string) => Promise<boolean>> = {
    bare: (d, guid) =>
      barePub.js
        .publish(BARE_SUBJECT, d.body, { msgID: guid, timeout: 15_000 })
        .then((ack) => !ack.duplicate),
    hookProcess: viaHttp(hookPort),
    hookInProcess: viaHttp(inproc.port),
    httpNullInProcess: viaHttp(nullPort),
  };
  const streamOf: Partial<Record<VariantName, string>> = {
    bare: BARE_STREAM,
    hookProcess: Streams.events,
    hookInProcess: Streams.events,
  };

  const order: VariantName[] = ['bare', 'hookProcess', 'hookInProcess', 'httpNullInProcess'];
  const run = (v: VariantName, count: number): Promise<WindowResult> => {
    const guids = Array.from({ length: count }, () => randomUUID());
    return runWindow(count, concurrency, opts.runBudgetMs, (i) =>
      senders[v](deliveries[i]!, guids[i]!),
    );
  };

  // Warm-up: JIT, keep-alive sockets, the streams' first blocks.
  for (const v of order) {
    const w = await run(v, opts.warmup);
    if (w.errors > 0)
      throw new Error(`ingest warm-up of ${v}: ${w.errors} failures, first: ${w.firstError}`);
  }
  let hookMessageBytes: number | undefined;
  try {
    const m = await admin.jsm.streams.getMessage(Streams.events, { seq: 1 } as never);
    hookMessageBytes = m?.data.length;
  } catch {
    // context only
  }

  const variants: Record<VariantName, VariantRun[]> = {
    bare: [],
    hookProcess: [],
    hookInProcess: [],
    httpNullInProcess: [],
  };
  for (let round = 1; round <= opts.rounds; round++) {
    if (round > 1 && performance.now() > opts.stopBy) {
      log(`  (ingest: time budget used up, stopping after ${round - 1} round(s))`);
      break;
    }
    // Rotate the order each round so no variant always runs first after a purge.
    const rotated = order.map((_, k) => order[(k + round - 1) % order.length]!);
    for (const v of rotated) {
      const stream = streamOf[v];
      if (stream) await admin.jsm.streams.purge(stream);
      const metricsBefore =
        v === 'hookProcess'
          ? await scrape(hookProc.metricsPort)
          : v === 'hookInProcess'
            ? await registry.metrics()
            : '';
      const cpu0 = {
        hook: processCpuMs(hookProc.proc.pid),
        nats: processCpuMs(nats.server.process.pid),
        bench: selfCpuMs(),
      };
      const r = await run(v, n);
      const cpu1 = {
        hook: processCpuMs(hookProc.proc.pid),
        nats: processCpuMs(nats.server.process.pid),
        bench: selfCpuMs(),
      };
      const metricsAfter =
        v === 'hookProcess'
          ? await scrape(hookProc.metricsPort)
          : v === 'hookInProcess'
            ? await registry.metrics()
            : '';
      const per = (a?: number, b?: number) =>
        a !== undefined && b !== undefined && r.ok > 0 ? (b - a) / r.ok : undefined;
      const vr: VariantRun = {
        round,
        ok: r.ok,
        errors: r.errors,
        ...(r.firstError ? { firstError: r.firstError } : {}),
        seconds: r.ms / 1000,
        rate: r.ok / (r.ms / 1000),
        latencyMs: summarize(r.latencies),
        cpuMsPerEvent: {
          ...(v === 'hookProcess' ? { hook: per(cpu0.hook, cpu1.hook) } : {}),
          nats: per(cpu0.nats, cpu1.nats),
          bench: per(cpu0.bench, cpu1.bench),
        },
      };
      if (stream) vr.stored = (await admin.jsm.streams.info(stream)).state.messages;
      if (metricsBefore || metricsAfter) {
        const a = publishSeconds(metricsBefore);
        const b = publishSeconds(metricsAfter);
        if (b.count > a.count)
          vr.hookPublishMeanMs = ((b.sum - a.sum) / (b.count - a.count)) * 1000;
      }
      variants[v].push(vr);
      log(
        `  ingest round ${round} ${v.padEnd(17)} ${vr.rate.toFixed(0).padStart(6)} events/s  ` +
          `p50 ${vr.latencyMs.p50.toFixed(2)} ms  p99 ${vr.latencyMs.p99.toFixed(2)} ms` +
          (vr.stored !== undefined ? `  stored ${vr.stored}/${vr.ok}` : '') +
          (vr.errors ? `  ERRORS ${vr.errors}: ${vr.firstError}` : ''),
      );
    }
  }
  return {
    n,
    concurrency,
    bodyBytes: { min: Math.min(...sizes), max: Math.max(...sizes) },
    ...(hookMessageBytes !== undefined ? { hookMessageBytes } : {}),
    variants,
  };
}

async function scrape(port: number): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      signal: AbortSignal.timeout(5000),
    });
    return await res.text();
  } catch {
    return '';
  }
}
