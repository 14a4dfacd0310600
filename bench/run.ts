// `npm run bench`: jetprow's benchmarks, every figure printed next to a baseline measured in the
// same run on the same nats-server, and as a ratio to it. Nothing is asserted: the machine is
// shared and noisy; read the ratios, and the load averages printed around them.
//
// First it builds the CLI (`npm run build`), so every phase runs the current code's apps/cli/dist.
// Sizes can be lowered for a quick look: BENCH_INGEST_N, BENCH_INGEST_ROUNDS, BENCH_LATENCY_M,
// BENCH_STARTUP_ROUNDS;
// BENCH_LATENCY_SERVICES (default hook,trigger,plank,reporter,sinker) drops optional services;
// BENCH_DEBUG=1 prints the services' last warnings after the latency phase.
// `npm run bench -- scale` runs the P-scale benchmark (bench/scale.ts) alone instead.
import {
  runIngest,
  VARIANT_LABELS,
  type IngestResult,
  type VariantName,
  type VariantRun,
} from './ingest.js';
import { HOPS, runLatency, type LatencyResult } from './latency.js';
import { Cleanup, environment, loadAverage, pendingCleanups, startRig } from './setup.js';
import { scaleMain } from './scale.js';
import { buildCli, runStartup, startupReport, type StartupResult } from './startup.js';
import { fmt, median, round, roundSummary, table } from './stats.js';

// The time plan, from the start of this script (npm and tsx take 3-15 s before it, depending on
// load): ingest starts no new round after 55 s, the latency phase no new sample after 115 s (once
// it has 5) and none at all after 130 s, the start-up phase no new round after 160 s (once it has
// one); a watchdog stops everything at 190 s. On a quiet machine the whole run takes about 1.5
// minutes and none of these limits is reached.
const INGEST_ROUNDS_UNTIL_MS = 55_000;
const SAMPLES_UNTIL_MS = 115_000;
const HARD_SAMPLES_UNTIL_MS = 130_000;
const STARTUP_ROUNDS_UNTIL_MS = 160_000;
const HARD_DEADLINE_MS = 190_000;

function intEnv(name: string, def: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name}=${raw}: expected an integer ${min}..${max}`);
  return n;
}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

async function tidyAndExit(code: number, why: string): Promise<never> {
  process.stderr.write(`bench: ${why}\n`);
  await Promise.allSettled([...pendingCleanups].map((c) => c.run()));
  process.exit(code);
}

const MODE = process.argv[2];
if (MODE !== undefined && MODE !== 'scale') {
  process.stderr.write(`usage: npm run bench [-- scale]  (unknown benchmark "${MODE}")\n`);
  process.exit(2);
}

// Bounded no matter what: a hung phase is cleaned up and reported. (scale has its own.)
const watchdog =
  MODE === 'scale'
    ? undefined
    : setTimeout(() => {
        void tidyAndExit(1, `not finished after ${HARD_DEADLINE_MS / 1000} s: aborted`);
      }, HARD_DEADLINE_MS);
watchdog?.unref();
if (MODE !== 'scale') {
  process.once('SIGINT', () => void tidyAndExit(130, 'interrupted'));
  process.once('SIGTERM', () => void tidyAndExit(143, 'terminated'));
}

function ingestReport(r: IngestResult): {
  rows: Record<string, unknown>;
  ratio: number;
  ratioBest: number;
} {
  const order: VariantName[] = ['bare', 'hookProcess', 'hookInProcess', 'httpNullInProcess'];
  const bare = r.variants.bare;
  // Per round, each variant against the bare run of the same round; then the median over rounds.
  const ratioOf = (v: VariantName): number =>
    median(r.variants[v].map((run, k) => run.rate / (bare[k]?.rate ?? Number.NaN)));
  const best = (runs: VariantRun[]): VariantRun | undefined =>
    [...runs].sort((a, b) => b.rate - a.rate)[0];
  const rows: string[][] = [];
  const cpuRows: string[][] = [];
  const json: Record<string, unknown> = {};
  for (const v of order) {
    const runs = r.variants[v];
    if (runs.length === 0) continue;
    const b = best(runs)!;
    const rates = runs.map((x) => x.rate);
    const ratio = ratioOf(v);
    const errors = runs.reduce((s, x) => s + x.errors, 0);
    const lost = runs.filter((x) => x.stored !== undefined && x.stored !== x.ok).length;
    rows.push([
      VARIANT_LABELS[v],
      fmt(median(rates), 0),
      fmt(b.rate, 0),
      fmt(median(runs.map((x) => x.latencyMs.p50))),
      fmt(median(runs.map((x) => x.latencyMs.p99))),
      v === 'bare' ? '1 (base)' : fmt(ratio, 3),
      `${errors}${lost ? ` (${lost} runs stored != ok)` : ''}`,
    ]);
    const cpu = (k: 'hook' | 'nats' | 'bench') =>
      median(runs.map((x) => x.cpuMsPerEvent[k] ?? Number.NaN));
    cpuRows.push([
      VARIANT_LABELS[v],
      v === 'hookProcess' ? fmt(cpu('hook'), 3) : '-',
      fmt(cpu('nats'), 3),
      fmt(cpu('bench'), 3),
      fmt(median(runs.map((x) => x.hookPublishMeanMs ?? Number.NaN))),
    ]);
    json[v] = {
      ratioToBare: round(ratio),
      eventsPerSecMedian: round(median(rates), 1),
      eventsPerSecBest: round(b.rate, 1),
      rounds: runs.map((x) => ({
        round: x.round,
        ok: x.ok,
        errors: x.errors,
        stored: x.stored ?? null,
        seconds: round(x.seconds),
        eventsPerSec: round(x.rate, 1),
        latencyMs: roundSummary(x.latencyMs),
        cpuMsPerEvent: Object.fromEntries(
          Object.entries(x.cpuMsPerEvent).map(([k, val]) => [k, round(val ?? Number.NaN)]),
        ),
        hookPublishMeanMs: x.hookPublishMeanMs !== undefined ? round(x.hookPublishMeanMs) : null,
      })),
    };
  }
  const rounds = bare.length;
  out(
    `1. Hook ingest: ${r.n} signed issue_comment webhooks per run (${(r.bodyBytes.min / 1024).toFixed(1)}-${(r.bodyBytes.max / 1024).toFixed(1)} KiB bodies,`,
  );
  out(
    `   unique GUIDs), ${r.concurrency} in flight over keep-alive HTTP; each 200 only after the JetStream ack.`,
  );
  out(
    `   ${rounds} round(s), variant order rotated per round; ratio = median over rounds of (variant / bare of the same round).`,
  );
  out(
    table(['variant', 'events/s med', 'best', 'p50 ms', 'p99 ms', 'ratio to bare', 'errors'], rows),
  );
  out();
  out(
    `   where the CPU goes (ms of CPU per delivery, median over rounds; hook publishes ${r.hookMessageBytes !== undefined ? `${(r.hookMessageBytes / 1024).toFixed(1)} KiB` : '?'} per event: normalized + raw):`,
  );
  out(table(['variant', 'hook proc', 'nats-server', 'bench proc', 'hook publish ms'], cpuRows));
  out(
    '   (bench proc = this process: HTTP client, and for in-process variants the server too; hook publish ms =',
  );
  out(
    "    mean of hook's jetprow_hook_publish_seconds: normalize + JetStream ack, queueing included)",
  );
  return {
    rows: json,
    ratio: ratioOf('hookProcess'),
    ratioBest: (best(r.variants.hookProcess)?.rate ?? NaN) / (best(bare)?.rate ?? NaN),
  };
}

function latencyReport(r: LatencyResult): Record<string, unknown> {
  const b = r.bare.deliveryMs;
  const s = r.system;
  const ratio = (x: number, y: number) => `${fmt(x / y, 1)}x`;
  out(
    `2. Comment → build started: ${r.samples} sequential "/test all" comments (after ${r.warmup} warm-up), each a new`,
  );
  out(
    `   delivery → a new ProwJob; services as processes: ${r.services.join(', ')}; fake GitHub in this process.`,
  );
  out(
    "   End point: the job's command (date +%s%N) records when it ran. Baseline, interleaved sample by sample:",
  );
  out('   bare js.publish → message yielded by consume() on a second connection.');
  out(
    table(
      ['measurement', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'p50 ratio', 'p99 ratio'],
      [
        [
          'bare publish → consume() (baseline)',
          fmt(b.p50),
          fmt(b.p90),
          fmt(b.p99),
          fmt(b.max),
          '1 (base)',
          '1 (base)',
        ],
        [
          "comment → build's command ran",
          fmt(s.buildStartedMs.p50),
          fmt(s.buildStartedMs.p90),
          fmt(s.buildStartedMs.p99),
          fmt(s.buildStartedMs.max),
          ratio(s.buildStartedMs.p50, b.p50),
          ratio(s.buildStartedMs.p99, b.p99),
        ],
        [
          '  comment → hook answered 200',
          fmt(s.hookAckMs.p50),
          fmt(s.hookAckMs.p90),
          fmt(s.hookAckMs.p99),
          fmt(s.hookAckMs.max),
          ratio(s.hookAckMs.p50, b.p50),
          ratio(s.hookAckMs.p99, b.p99),
        ],
        [
          '  comment → plank wrote pending',
          fmt(s.pendingWrittenMs.p50),
          fmt(s.pendingWrittenMs.p90),
          fmt(s.pendingWrittenMs.p99),
          fmt(s.pendingWrittenMs.max),
          ratio(s.pendingWrittenMs.p50, b.p50),
          ratio(s.pendingWrittenMs.p99, b.p99),
        ],
        [
          '  comment → pending seen via KV watch',
          fmt(s.pendingSeenMs.p50),
          fmt(s.pendingSeenMs.p90),
          fmt(s.pendingSeenMs.p99),
          fmt(s.pendingSeenMs.max),
          ratio(s.pendingSeenMs.p50, b.p50),
          ratio(s.pendingSeenMs.p99, b.p99),
        ],
        [
          'bare publish → JetStream ack (context)',
          fmt(r.bare.publishAckMs.p50),
          fmt(r.bare.publishAckMs.p90),
          fmt(r.bare.publishAckMs.p99),
          fmt(r.bare.publishAckMs.max),
          '',
          '',
        ],
        [
          'bare spawn of the runner wrapper → command ran (context)',
          fmt(r.bare.spawnToCommandMs.p50),
          fmt(r.bare.spawnToCommandMs.p90),
          fmt(r.bare.spawnToCommandMs.p99),
          fmt(r.bare.spawnToCommandMs.max),
          '',
          '',
        ],
      ],
    ),
  );
  out();
  out(
    '   hops, from timestamps the services record anyway (ms; service clocks have 1 ms resolution):',
  );
  out(
    table(
      ['hop', 'p50 ms', 'p90 ms', 'p99 ms', 'share of p50 sum'],
      (() => {
        const sum = HOPS.filter(([k]) => k !== 'storedToAck').reduce(
          (acc, [k]) => acc + s.hops[k].p50,
          0,
        );
        return HOPS.map(([k, label]) => [
          label,
          fmt(s.hops[k].p50),
          fmt(s.hops[k].p90),
          fmt(s.hops[k].p99),
          k === 'storedToAck' ? '(parallel)' : `${fmt((s.hops[k].p50 / sum) * 100, 0)}%`,
        ]);
      })(),
    ),
  );
  const chain = HOPS.filter(([k]) => k !== 'storedToAck').reduce(
    (acc, [k]) => acc + s.hops[k].p50,
    0,
  );
  out(
    `   sum of the chain's hop p50s: ${fmt(chain)} ms (end-to-end p50 ${fmt(s.buildStartedMs.p50)} ms)`,
  );
  if (r.triggerHandleMeanMs !== undefined)
    out(
      `   trigger's own handle time (prow_plugin_handle_duration_seconds mean, incl. 3 fake GitHub reads): ${fmt(r.triggerHandleMeanMs)} ms`,
    );
  const pc = r.pacing;
  out(
    `   pacing (not measured; explains the run time): one sample takes ${fmt(pc.iterationMs.p50)} ms p50, of which pending → complete seen ${fmt(pc.pendingToCompleteSeenMs.p50)} ms`,
  );
  if (r.services.includes('reporter')) {
    out(
      `   reporter (off the measured path; its GitHub writes are paced): final state recorded for ${s.reported}/${r.samples} sampled jobs; ` +
        (s.lastReportedAfterMs !== undefined
          ? `the newest job's ${fmt(s.lastReportedAfterMs, 0)} ms after it completed`
          : "the newest job's not within 5 s (a backlog of paced writes)"),
    );
  }
  return {
    samples: r.samples,
    warmup: r.warmup,
    services: r.services,
    baseline: {
      publishToConsumeMs: roundSummary(b),
      publishAckMs: roundSummary(r.bare.publishAckMs),
      spawnToCommandMs: roundSummary(r.bare.spawnToCommandMs),
    },
    buildStartedMs: roundSummary(s.buildStartedMs),
    hookAckMs: roundSummary(s.hookAckMs),
    pendingWrittenMs: roundSummary(s.pendingWrittenMs),
    pendingSeenMs: roundSummary(s.pendingSeenMs),
    hopsMs: Object.fromEntries(Object.entries(s.hops).map(([k, v]) => [k, roundSummary(v)])),
    triggerHandleMeanMs: r.triggerHandleMeanMs !== undefined ? round(r.triggerHandleMeanMs) : null,
    reporter: {
      reportedJobs: s.reported,
      lastReportedAfterMs:
        s.lastReportedAfterMs !== undefined ? round(s.lastReportedAfterMs) : null,
    },
    pacingMs: {
      iteration: roundSummary(r.pacing.iterationMs),
      pendingToCompleteSeen: roundSummary(r.pacing.pendingToCompleteSeenMs),
    },
    ratioP50: round(s.buildStartedMs.p50 / b.p50, 2),
    ratioP99: round(s.buildStartedMs.p99 / b.p99, 2),
  };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const env = environment();
  const loadStart = loadAverage();
  const ingestN = intEnv('BENCH_INGEST_N', 3000, 10, 20_000);
  const rounds = intEnv('BENCH_INGEST_ROUNDS', 3, 1, 5);
  const samples = intEnv('BENCH_LATENCY_M', 100, 5, 1000);
  const startupRounds = intEnv('BENCH_STARTUP_ROUNDS', 5, 1, 20);
  const latencyServices = (
    process.env.BENCH_LATENCY_SERVICES ?? 'hook,trigger,plank,reporter,sinker'
  )
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const s of latencyServices) {
    if (!['hook', 'trigger', 'plank', 'reporter', 'sinker'].includes(s))
      throw new Error(`BENCH_LATENCY_SERVICES: unknown service "${s}"`);
  }

  out(`jetprow bench  ${startedAt.toISOString()}  commit ${env.commit}`);
  out(
    `environment: node ${env.node} | ${env.natsServer} | ${env.cores} cores (${env.cpuModel}) | ${env.platform} | ${env.totalMemGiB} GiB`,
  );
  out(`load average at start (1/5/15 min): ${loadStart.join(' / ')}`);
  out();

  // Every phase execs the built CLI: build it from the current sources first.
  out('building the CLI (npm run build) …');
  const build = await buildCli();
  out(`  ${build.summary} (${(build.ms / 1000).toFixed(1)} s)`);

  const rigCleanup = new Cleanup();
  let ingest: IngestResult;
  let latency: LatencyResult;
  let ingestSeconds: number;
  let latencySeconds: number;
  let startup: StartupResult;
  let startupSeconds: number;
  let loadMid: [number, number, number];
  try {
    out('starting nats-server, fake GitHub and hook (a service process) …');
    const rig = await startRig(rigCleanup);
    out(`  ready after ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    out('running 1/3: hook ingest …');
    const ingestStart = performance.now();
    ingest = await runIngest(rig, {
      n: ingestN,
      concurrency: 32,
      warmup: 300,
      rounds,
      runBudgetMs: 15_000,
      stopBy: t0 + INGEST_ROUNDS_UNTIL_MS,
      log: out,
    });
    ingestSeconds = (performance.now() - ingestStart) / 1000;
    out(`  ingest phase took ${ingestSeconds.toFixed(1)} s`);
    loadMid = loadAverage();

    out('running 2/3: comment → build started …');
    const latencyStart = performance.now();
    latency = await runLatency(rig, {
      samples,
      warmup: 5,
      stopBy: t0 + SAMPLES_UNTIL_MS,
      hardStopBy: t0 + HARD_SAMPLES_UNTIL_MS,
      services: latencyServices,
      log: out,
    });
    latencySeconds = (performance.now() - latencyStart) / 1000;
    out(`  latency phase took ${latencySeconds.toFixed(1)} s`);
  } finally {
    await rigCleanup.run();
  }
  const loadMid2 = loadAverage();

  // After the rig is gone, so that nothing else of the benchmark runs beside the starts.
  const startupCleanup = new Cleanup();
  try {
    out('running 3/3: start-up (exec of the built CLI → ready), one process at a time …');
    const startupStart = performance.now();
    startup = await runStartup(startupCleanup, {
      rounds: startupRounds,
      stopBy: t0 + STARTUP_ROUNDS_UNTIL_MS,
      log: out,
    });
    startupSeconds = (performance.now() - startupStart) / 1000;
    out(`  start-up phase took ${startupSeconds.toFixed(1)} s`);
  } finally {
    await startupCleanup.run();
  }
  const loadEnd = loadAverage();
  out();

  const ingestJson = ingestReport(ingest);
  out();
  const latencyJson = latencyReport(latency);
  out();
  const startupJson = startupReport(startup, out);
  out();
  out(
    `load average: start ${loadStart.join(' / ')} | between phases ${loadMid.join(' / ')} and ${loadMid2.join(' / ')} | end ${loadEnd.join(' / ')}  (${env.cores} cores)`,
  );
  out(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  out();
  out(
    `BENCH_JSON ${JSON.stringify({
      version: 1,
      startedAt: startedAt.toISOString(),
      seconds: round((performance.now() - t0) / 1000, 1),
      phaseSeconds: {
        build: round(build.ms / 1000, 1),
        ingest: round(ingestSeconds, 1),
        latency: round(latencySeconds, 1),
        startup: round(startupSeconds, 1),
      },
      env: {
        ...env,
        loadAvg: {
          start: loadStart,
          betweenPhases: loadMid,
          beforeStartup: loadMid2,
          end: loadEnd,
        },
      },
      build: { summary: build.summary },
      ingest: {
        n: ingest.n,
        concurrency: ingest.concurrency,
        bodyBytes: ingest.bodyBytes,
        hookMessageBytes: ingest.hookMessageBytes ?? null,
        ratioHookProcessToBare: round(ingestJson.ratio),
        ratioHookProcessToBareBestOfRounds: round(ingestJson.ratioBest),
        variants: ingestJson.rows,
      },
      latency: latencyJson,
      startup: startupJson,
    })}`,
  );
}

try {
  if (MODE === 'scale') process.exit(await scaleMain());
  await main();
  clearTimeout(watchdog);
  // Everything was closed by the phases; exit explicitly so no stray handle can keep us alive.
  process.exit(0);
} catch (err) {
  await tidyAndExit(
    1,
    `failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
  );
}
