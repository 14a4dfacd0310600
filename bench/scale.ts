// P-scale: does the cost of one event stay the same as the store grows? hook, trigger and plank
// run as service processes (the built CLI) on one nats-server; the ProwJob bucket is filled with
// 100, then 1,000, then 10,000 finished ProwJobs (a realistic history: 10 % of the same presubmit
// on the same repo, the rest spread over 200 repos and 50 job names), and at each size M
// `/test all` comments are sent one at a time, each timed from just before the POST until the new
// job is seen pending (the same KV watch as section 2 of `npm run bench`). Figures per size:
// webhook → pending (seen, and as plank recorded it), plank's reconcile cost (the mean of its own
// `plank_reconcile_duration_seconds` over the size's reconciles, and its CPU per job from /proc),
// and, in this process, a fresh store's ProwJob cache over the whole bucket: the heap it takes
// per job, its sync time, a lookup plank makes, next to what a lookup cost before the cache (a
// full replay of the bucket). The baseline is the same run's 100-job size: each figure at 10,000
// is printed as its ratio to 100 (targets: ≤ 1.5× for webhook → pending and the reconcile cost,
// ≤ 10 KiB of memory per job).
//
// `npm run bench -- scale` (or `npx tsx bench/scale.ts`; it builds the CLI first). Sizes and
// counts: BENCH_SCALE_SIZES (100,1000,10000), BENCH_SCALE_M (30 samples per size after 5
// warm-ups). Bounded: no new sample after 200 s, a watchdog stops everything at 280 s.
// Not measured: throughput of 1 vs 2 vs 4 plank replicas (on a 2-core machine shared with
// nats-server and the other services it would measure the CPU's contention, not plank's scaling).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { connectBus, type Bus } from '@jetprow/bus';
import { newProwJob, presubmitSpec, prowJobName } from '@jetprow/core';
import { GitHubReporterName, Labels, type ProwJob } from '@jetprow/schemas';
import { KvJobStore } from '@jetprow/store';
import type { ServiceProcess } from '@jetprow/testing';
import { serviceLogs } from '../test/support/e2e-env.js';
import {
  Cleanup,
  commentDeliveries,
  environment,
  HEAD,
  JOB,
  keepAliveAgent,
  loadAverage,
  printLoadAndTotal,
  ORG,
  pendingCleanups,
  post,
  processCpuMs,
  REPO,
  startRig,
  startService,
  stopService,
  webhookHeaders,
  within,
  type Rig,
} from './setup.js';
import { buildCli } from './startup.js';
import { fmt, round, roundSummary, summarize, table, type Summary } from './stats.js';

export const TARGET_RATIO = 1.5;
export const TARGET_BYTES_PER_JOB = 10 * 1024;
const SAMPLES_UNTIL_MS = 200_000;
const HARD_DEADLINE_MS = 280_000;
/** Creates in flight while filling the bucket. */
const FILL_WINDOW = 256;

export interface ScaleOptions {
  sizes: number[];
  samples: number;
  warmup: number;
  /** performance.now() after which no new sample starts (once a size has 5). */
  stopBy: number;
  log: (line: string) => void;
}

export interface SizeResult {
  /** Jobs in the bucket while the size was measured. */
  stored: number;
  samples: number;
  pendingSeenMs: Summary;
  pendingWrittenMs: Summary;
  /** Mean of plank's plank_reconcile_duration_seconds over this size's reconciles, ms. */
  reconcileMeanMs: number;
  reconciles: number;
  /** CPU ms per job (/proc, 10 ms ticks over the size's samples). */
  plankCpuMsPerJob: number;
  triggerCpuMsPerJob: number;
  /** plank's resident memory after the size's samples, MiB. */
  plankRssMiB: number;
  /** A fresh store's cache over the bucket, in this process. */
  cache: {
    heapBytesPerJob: number;
    syncMs: number;
    /** plank's dupes lookup (same job and repo, unfinished), µs. */
    lookupUs: number;
    /** What one lookup cost before the cache: a replay of the whole bucket, ms. */
    fullReplayMs: number;
  };
}

export interface ScaleResult {
  sizes: SizeResult[];
  jsonBytesPerJob: number;
  warmup: number;
}

const gc = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
})();

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A finished presubmit as Prow leaves it in the store (reported, so plank has nothing to do). */
function historicJob(i: number): ProwJob {
  const same = i % 10 === 0; // the measured presubmit on the measured repo
  const repo = same ? REPO : `repo-${i % 200}`;
  const name = same ? JOB : `pull-${repo}-${i % 50}`;
  const spec = presubmitSpec(
    {
      name,
      spec: {
        containers: [
          { image: 'golang:1.22', command: ['make', 'test'], args: [`--shard=${i % 8}`] },
        ],
      },
    },
    {
      org: ORG,
      repo,
      base_ref: 'main',
      base_sha: (i * 7919).toString(16).padStart(40, '0'),
      pulls: [
        { number: 1000 + i, author: 'alice', sha: (i * 104729).toString(16).padStart(40, 'a') },
      ],
    },
  );
  const at = new Date(Date.now() - 3_600_000 + i);
  const pj = newProwJob(spec, { name: randomUUID(), now: at });
  const done = new Date(at.getTime() + 60_000).toISOString();
  pj.status = {
    ...pj.status,
    state: 'success',
    description: 'Job succeeded.',
    pendingTime: at.toISOString(),
    completionTime: done,
    build_id: String(1_700_000_000_000 + i),
    url: `https://prow.example.com/view/${name}/${1_700_000_000_000 + i}`,
    prev_report_states: { [GitHubReporterName]: 'success' },
  };
  return pj;
}

async function fill(store: KvJobStore, from: number, to: number): Promise<number> {
  let next = from;
  let bytes = 0;
  const worker = async () => {
    while (next < to) {
      const pj = historicJob(next++);
      bytes += JSON.stringify(pj).length;
      await store.create(pj);
    }
  };
  await Promise.all(Array.from({ length: FILL_WINDOW }, worker));
  return bytes;
}

/**
 * Waits until the services have worked through the fill (their watches deliver every new job):
 * until none of them used more than one clock tick of CPU in 300 ms, for at most 20 s.
 */
async function settle(procs: ServiceProcess[]): Promise<number> {
  const t = performance.now();
  const cpu = () => procs.map((p) => processCpuMs(p.proc.pid) ?? 0);
  let last = cpu();
  while (performance.now() - t < 20_000) {
    await new Promise((r) => setTimeout(r, 300));
    const now = cpu();
    const busy = now.some((v, k) => v - last[k]! > 10);
    last = now;
    if (!busy) break;
  }
  return performance.now() - t;
}

/** plank_reconcile_duration_seconds' sum and count from plank's /metrics. */
async function reconcileTotals(p: ServiceProcess): Promise<{ sum: number; count: number }> {
  const res = await fetch(`http://127.0.0.1:${p.metricsPort}/metrics`, {
    signal: AbortSignal.timeout(5000),
  });
  const text = await res.text();
  const get = (what: 'sum' | 'count') =>
    Number(
      new RegExp(
        `^plank_reconcile_duration_seconds_${what}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`,
        'm',
      ).exec(text)?.[1] ?? Number.NaN,
    );
  return { sum: get('sum'), count: get('count') };
}

/** A new process's view: a fresh store on its own connection, its cache synced over the bucket. */
async function measureCache(bus: Bus, stored: number): Promise<SizeResult['cache']> {
  const store = await KvJobStore.open(bus.js);
  try {
    // What a lookup cost before the cache: every lookup replayed the whole bucket.
    const replays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const w = await store.watch(() => undefined, { initialOnly: true });
      await w.synced;
      w.stop();
      replays.push(performance.now() - t);
    }
    const before = heapUsed();
    const t = performance.now();
    await store.informer.start();
    const syncMs = performance.now() - t;
    const heapBytesPerJob = (heapUsed() - before) / Math.max(1, store.informer.size);
    const selector = { [Labels.job]: JOB, [Labels.org]: ORG, [Labels.repo]: REPO };
    for (let i = 0; i < 50; i++) await store.list(selector, { incomplete: true });
    const l = performance.now();
    for (let i = 0; i < 500; i++) await store.list(selector, { incomplete: true });
    const lookupUs = ((performance.now() - l) / 500) * 1000;
    if (store.informer.size < stored) throw new Error(`cache holds ${store.informer.size} jobs`);
    return { heapBytesPerJob, syncMs, lookupUs, fullReplayMs: summarize(replays).p50 };
  } finally {
    store.close();
  }
}

export async function runScale(rig: Rig, opts: ScaleOptions): Promise<ScaleResult> {
  const cleanup = new Cleanup();
  try {
    return await scale(rig, opts, cleanup);
  } finally {
    await cleanup.run();
  }
}

async function scale(rig: Rig, opts: ScaleOptions, cleanup: Cleanup): Promise<ScaleResult> {
  const { log } = opts;
  const started: ServiceProcess[] = [];
  cleanup.add('stop trigger, plank', () => Promise.all(started.map(stopService)));
  const [trigger, plank] = await Promise.all(
    ['trigger', 'plank'].map((name) => startService(cleanup, name, rig.common, started)),
  );
  const procs = [rig.hook, trigger!, plank!];
  const diagnose = (): string => serviceLogs(procs, 2000);

  const observer = await connectBus(rig.nats.url, 'bench-scale-observer');
  cleanup.add('close observer', () => observer.close());
  const store = await KvJobStore.open(observer.js);
  const seeder = await connectBus(rig.nats.url, 'bench-scale-seeder');
  cleanup.add('close seeder', () => seeder.close());
  const seedStore = await KvJobStore.open(seeder.js);
  const measurer = await connectBus(rig.nats.url, 'bench-scale-cache');
  cleanup.add('close cache measurer', () => measurer.close());

  const waiters = new Map<string, (pj: ProwJob) => void>();
  const watch = await store.watch((c) => {
    if (c.type === 'put' && c.job) waiters.get(c.name)?.(c.job);
  });
  cleanup.add('stop KV watch', () => watch.stop());

  const perSize = opts.warmup + opts.samples;
  const deliveries = commentDeliveries(perSize * opts.sizes.length, () => '/test all');
  const agent = keepAliveAgent(cleanup, 1);
  let used = 0;
  let historic = 0;
  let historicBytes = 0;
  let measured = 0;
  const results: SizeResult[] = [];

  for (const size of opts.sizes) {
    const tFill = performance.now();
    historicBytes += await fill(seedStore, historic, Math.max(historic, size - measured));
    historic = Math.max(historic, size - measured);
    const fillMs = performance.now() - tFill;
    const settleMs = await settle(procs);
    log(
      `  scale: ${historic + measured} jobs stored (filled in ${(fillMs / 1000).toFixed(1)} s, services settled after ${(settleMs / 1000).toFixed(1)} s); sampling …`,
    );
    const pendingSeen: number[] = [];
    const pendingWritten: number[] = [];
    let r0: { sum: number; count: number } | undefined;
    let cpu0 = { plank: 0, trigger: 0 };
    let counted = 0;
    for (let i = 0; i < perSize; i++) {
      if (performance.now() > opts.stopBy && counted >= 5) {
        log(`  (scale: time budget used up after ${counted} samples at ${size})`);
        break;
      }
      if (i === opts.warmup) {
        r0 = await reconcileTotals(plank!);
        cpu0 = {
          plank: processCpuMs(plank!.proc.pid) ?? 0,
          trigger: processCpuMs(trigger!.proc.pid) ?? 0,
        };
      }
      const body = deliveries[used++]!;
      const delivery = randomUUID();
      const name = prowJobName(delivery, JOB, HEAD);
      let resolvePending!: (pj: ProwJob) => void;
      let resolveComplete!: () => void;
      const pending = new Promise<ProwJob>((r) => (resolvePending = r));
      const complete = new Promise<void>((r) => (resolveComplete = r));
      waiters.set(name, (pj) => {
        if (pj.status.state !== 'triggered') resolvePending(pj);
        if (pj.status.completionTime) resolveComplete();
      });
      const t0 = Date.now(); // for plank's pendingTime (ms resolution)
      const s0 = performance.now();
      const status = await post(
        agent,
        rig.hookPort,
        '/hook',
        webhookHeaders(body, delivery),
        body.body,
      );
      if (status !== 200) throw new Error(`hook answered ${status}\n${diagnose()}`);
      try {
        const pj = await within(pending, 30_000, `job ${name} pending`);
        const seen = performance.now() - s0;
        await within(complete, 30_000, `job ${name} complete`);
        if (i >= opts.warmup) {
          pendingSeen.push(seen);
          pendingWritten.push(Date.parse(pj.status.pendingTime ?? '') - t0);
          counted++;
        }
      } catch (err) {
        throw new Error(`${String(err)}\n${diagnose()}`);
      } finally {
        waiters.delete(name);
      }
      measured++;
    }
    // The last job's completion may still be reconciled: let plank settle before reading totals.
    await new Promise((r) => setTimeout(r, 300));
    const r1 = await reconcileTotals(plank!);
    const plankCpu = (processCpuMs(plank!.proc.pid) ?? Number.NaN) - cpu0.plank;
    const triggerCpu = (processCpuMs(trigger!.proc.pid) ?? Number.NaN) - cpu0.trigger;
    const stored = historic + measured;
    const cache = await measureCache(measurer, stored);
    const reconciles = r0 ? r1.count - r0.count : Number.NaN;
    results.push({
      stored,
      samples: counted,
      pendingSeenMs: summarize(pendingSeen),
      pendingWrittenMs: summarize(pendingWritten),
      reconcileMeanMs: r0 ? ((r1.sum - r0.sum) / reconciles) * 1000 : Number.NaN,
      reconciles,
      plankCpuMsPerJob: plankCpu / Math.max(1, counted),
      triggerCpuMsPerJob: triggerCpu / Math.max(1, counted),
      plankRssMiB: rssMiB(plank!.proc.pid),
      cache,
    });
    log(
      `  scale: ${stored} stored: webhook → pending p50 ${fmt(summarize(pendingSeen).p50)} ms, reconcile mean ${fmt(results.at(-1)!.reconcileMeanMs)} ms, cache ${fmt(cache.heapBytesPerJob, 0)} B/job`,
    );
  }
  return {
    sizes: results,
    jsonBytesPerJob: historic > 0 ? historicBytes / historic : Number.NaN,
    warmup: opts.warmup,
  };
}

/** Prints the table; returns the figures for BENCH_JSON. */
export function scaleReport(r: ScaleResult, out: (line?: string) => void): Record<string, unknown> {
  const first = r.sizes[0];
  const last = r.sizes.at(-1);
  const ratio = (f: (s: SizeResult) => number): number =>
    first && last ? f(last) / f(first) : Number.NaN;
  const verdict = (v: number, target: number) =>
    Number.isFinite(v) ? (v <= target ? 'PASS' : 'FAIL') : '-';
  const cols = r.sizes.map((s) => `${s.stored} jobs`);
  const label = first && last ? `ratio ${last.stored}/${first.stored}` : 'ratio';
  const row = (
    what: string,
    f: (s: SizeResult) => number,
    target?: number | 'no ratio',
    digits?: number,
  ): string[] => {
    const q = ratio(f);
    if (target === 'no ratio') return [what, ...r.sizes.map((s) => fmt(f(s), digits)), '', '', ''];
    return [
      what,
      ...r.sizes.map((s) => fmt(f(s), digits)),
      `${fmt(q, 2)}x`,
      target !== undefined ? `≤ ${target}x` : '',
      target !== undefined ? verdict(q, target) : '',
    ];
  };
  out(
    `4. P-scale: webhook → pending and plank's reconcile cost as the store grows (hook, trigger, plank as processes;`,
  );
  out(
    `   the bucket filled with finished jobs, ~${fmt(r.jsonBytesPerJob / 1024, 1)} KiB of JSON each; ${first?.samples ?? 0}+ sequential "/test all" samples per size after ${r.warmup} warm-ups).`,
  );
  out(`   Baseline: the same run's smallest size; each ratio is the largest size ÷ the smallest.`);
  out(
    table(
      ['measurement', ...cols, label, 'target', 'verdict'],
      [
        row('webhook → pending seen, p50 ms', (s) => s.pendingSeenMs.p50, TARGET_RATIO),
        row('webhook → pending seen, p90 ms', (s) => s.pendingSeenMs.p90),
        row('webhook → plank wrote pending, p50 ms', (s) => s.pendingWrittenMs.p50),
        row('plank reconcile, mean ms (its histogram)', (s) => s.reconcileMeanMs, TARGET_RATIO, 2),
        row('  reconciles counted', (s) => s.reconciles, 'no ratio', 0),
        row('plank CPU ms per job (/proc)', (s) => s.plankCpuMsPerJob),
        row('trigger CPU ms per job (/proc)', (s) => s.triggerCpuMsPerJob),
        row('plank RSS MiB (context)', (s) => s.plankRssMiB, undefined, 0),
        row('cache: sync of a new process, ms', (s) => s.cache.syncMs),
        row("cache: plank's dupes lookup, µs", (s) => s.cache.lookupUs),
        row('before the cache: one lookup = full replay, ms', (s) => s.cache.fullReplayMs),
      ],
    ),
  );
  const bytes = last?.cache.heapBytesPerJob ?? Number.NaN;
  out(
    `   memory: the ProwJob cache takes ${fmt(bytes, 0)} bytes of heap per job at ${last?.stored ?? '?'} jobs (${r.sizes.map((s) => `${fmt(s.cache.heapBytesPerJob, 0)} at ${s.stored}`).join(', ')}); target ≤ ${TARGET_BYTES_PER_JOB} (10 KiB): ${verdict(bytes, TARGET_BYTES_PER_JOB)}`,
  );
  out(
    '   (heap after a forced GC, before vs after a new store synced its cache, in this process; RSS is context only)',
  );
  out('   not measured: throughput of 1 vs 2 vs 4 plank replicas (see bench/scale.ts).');
  return {
    sizes: r.sizes.map((s) => ({
      stored: s.stored,
      samples: s.samples,
      pendingSeenMs: roundSummary(s.pendingSeenMs),
      pendingWrittenMs: roundSummary(s.pendingWrittenMs),
      reconcileMeanMs: round(s.reconcileMeanMs),
      reconciles: s.reconciles,
      plankCpuMsPerJob: round(s.plankCpuMsPerJob),
      triggerCpuMsPerJob: round(s.triggerCpuMsPerJob),
      plankRssMiB: round(s.plankRssMiB, 1),
      cache: {
        heapBytesPerJob: round(s.cache.heapBytesPerJob, 0),
        syncMs: round(s.cache.syncMs),
        lookupUs: round(s.cache.lookupUs),
        fullReplayMs: round(s.cache.fullReplayMs),
      },
    })),
    jsonBytesPerJob: round(r.jsonBytesPerJob, 0),
    ratioPendingP50: round(ratio((s) => s.pendingSeenMs.p50)),
    ratioReconcileMean: round(ratio((s) => s.reconcileMeanMs)),
    heapBytesPerJob: round(bytes, 0),
    targets: { ratio: TARGET_RATIO, bytesPerJob: TARGET_BYTES_PER_JOB },
  };
}

function intList(name: string, def: number[]): number[] {
  const raw = process.env[name];
  if (!raw) return def;
  const v = raw.split(',').map((x) => Number(x.trim()));
  if (v.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000) || v.length < 2)
    throw new Error(`${name}=${raw}: expected at least two sizes 1..100000, comma-separated`);
  return v;
}

/** `npm run bench -- scale`: this benchmark alone. Returns the exit code. */
export async function scaleMain(): Promise<number> {
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  const tidy = async (code: number, why: string): Promise<never> => {
    process.stderr.write(`bench scale: ${why}\n`);
    await Promise.allSettled([...pendingCleanups].map((c) => c.run()));
    process.exit(code);
  };
  const watchdog = setTimeout(() => {
    void tidy(1, `not finished after ${HARD_DEADLINE_MS / 1000} s: aborted`);
  }, HARD_DEADLINE_MS);
  watchdog.unref();
  process.once('SIGINT', () => void tidy(130, 'interrupted'));
  process.once('SIGTERM', () => void tidy(143, 'terminated'));

  const t0 = performance.now();
  const startedAt = new Date();
  const env = environment();
  const sizes = intList('BENCH_SCALE_SIZES', [100, 1000, 10_000]).sort((a, b) => a - b);
  const samples = Number(process.env.BENCH_SCALE_M ?? 30);
  if (!Number.isInteger(samples) || samples < 5 || samples > 500)
    throw new Error(`BENCH_SCALE_M=${process.env.BENCH_SCALE_M}: expected an integer 5..500`);
  const loadStart = loadAverage();
  out(`jetprow bench: P-scale  ${startedAt.toISOString()}  commit ${env.commit}`);
  out(
    `environment: node ${env.node} | ${env.natsServer} | ${env.cores} cores (${env.cpuModel}) | ${env.platform} | ${env.totalMemGiB} GiB`,
  );
  out(`load average at start (1/5/15 min): ${loadStart.join(' / ')}`);
  out('building the CLI (npm run build) …');
  const build = await buildCli();
  out(`  ${build.summary} (${(build.ms / 1000).toFixed(1)} s)`);
  const rigCleanup = new Cleanup();
  let result: ScaleResult;
  try {
    out('starting nats-server, fake GitHub, hook, trigger and plank …');
    const rig = await startRig(rigCleanup);
    result = await runScale(rig, {
      sizes,
      samples,
      warmup: 5,
      stopBy: t0 + SAMPLES_UNTIL_MS,
      log: out,
    });
  } finally {
    await rigCleanup.run();
  }
  const loadEnd = loadAverage();
  out();
  const json = scaleReport(result, out);
  out();
  printLoadAndTotal(out, { start: loadStart, end: loadEnd }, env.cores, t0);
  out();
  out(
    `BENCH_JSON ${JSON.stringify({
      version: 1,
      bench: 'scale',
      startedAt: startedAt.toISOString(),
      seconds: round((performance.now() - t0) / 1000, 1),
      env: { ...env, loadAvg: { start: loadStart, end: loadEnd } },
      build: { summary: build.summary },
      scale: json,
    })}`,
  );
  clearTimeout(watchdog);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exit(await scaleMain());
  } catch (err) {
    process.stderr.write(
      `bench scale: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    await Promise.allSettled([...pendingCleanups].map((c) => c.run()));
    process.exit(1);
  }
}
