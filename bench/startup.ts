// Start-up: how long, and how much CPU, each service takes from exec of the built CLI
// (`node apps/cli/bin/jetprow.mjs <service> ...`) to its /healthz/ready answering 200, next to a
// baseline measured the same way in the same run: `node -e` running a trivial HTTP server that
// answers /healthz/ready. Run alone with `npx tsx bench/startup.ts`, or as part of `npm run bench`.
//
// Per start: wall = from just before spawn() to the 200; CPU = the child's utime + stime from
// /proc/<pid>/stat, read as soon as the 200's status line arrived (10 ms clock ticks). One
// nats-server (temp store) and the fake GitHub serve every start; a warm-up round (not counted)
// creates the streams, consumers and buckets first, so the counted starts are restarts, as in a
// redeploy. Starts run one at a time, never overlapping; the order is rotated every round.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '@jetprow/bus';
import { cliBin, repoRoot, startFakeGitHub, startNats } from '@jetprow/testing';
import {
  Cleanup,
  environment,
  loadAverage,
  printLoadAndTotal,
  pendingCleanups,
  processCpuMs,
  sleep,
  tempDir,
} from './setup.js';
import { fmt, median, round, table } from './stats.js';

/** The target of the start-up issue: every service ready within 0.5 s of CPU on this machine. */
export const TARGET_CPU_MS = 500;

export const SERVICES = ['hook', 'trigger', 'plank', 'reporter', 'sinker'] as const;
export type ServiceName = (typeof SERVICES)[number];
export type VariantName = 'baseline' | ServiceName;

const DEMO = join(repoRoot, 'examples/demo');
/** How long one start may take until ready, and one stop until exit, before it is killed. */
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/** Poll interval of /healthz/ready: the wall figure's resolution (refused connects are cheap). */
const POLL_MS = 10;
const CLK_TCK = 100;
/** BENCH_STARTUP_CPU_PROF=<dir>: each counted service start also writes a V8 CPU profile there
 * (node --cpu-prof, to exit; it costs CPU, so the figures of such a run are inflated). */
const PROFILE_DIR = process.env.BENCH_STARTUP_CPU_PROF;
const profileFlags = (svc: string, round: number): string[] =>
  PROFILE_DIR && round > 0
    ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${svc}-${round}.cpuprofile`]
    : [];

// ---------------------------------------------------------------------------------------------
// The build

export interface BuildResult {
  ms: number;
  /** Its summary line ("built apps/cli/dist: N modules, ..."). */
  summary: string;
}

/** `npm run build` (node scripts/build.mjs), so the CLI the benchmarks run is the current code. */
export function buildCli(timeoutMs = 180_000): Promise<BuildResult> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'scripts/build.mjs')],
      { cwd: repoRoot, timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`npm run build failed: ${String(err)}\n${stdout}${stderr}`));
          return;
        }
        resolve({ ms: performance.now() - t, summary: stdout.trim().split('\n').at(-1) ?? '' });
      },
    );
  });
}

// The checkout may be shared: another `npm run build` replaces apps/cli/dist (it removes it first),
// and a start that runs meanwhile fails to find its chunks. Such a start is retried once the new
// build is complete, and the report says that the figures may mix builds.
const DIST_MAIN = join(repoRoot, 'apps/cli/dist/main.js');

/** main.js names every chunk by its content hash: its text identifies the build. */
function distStamp(): string {
  try {
    return readFileSync(DIST_MAIN, 'utf8');
  } catch {
    return '';
  }
}

const tornDist = (err: unknown): boolean =>
  /ERR_MODULE_NOT_FOUND|Cannot find module|not built yet/.test(String(err)) &&
  String(err).includes('apps/cli/dist');

async function waitForDist(timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  // The build writes main.js with the rest at its end; give it a moment to finish writing.
  while (!existsSync(DIST_MAIN)) {
    if (performance.now() > deadline)
      throw new Error(`apps/cli/dist/main.js missing for ${timeoutMs} ms (a build that failed?)`);
    await sleep(200);
  }
  await sleep(2000);
}

// ---------------------------------------------------------------------------------------------
// One start

export interface StartSample {
  round: number;
  /** spawn → /healthz/ready answered 200, ms. */
  wallMs: number;
  /** The child's utime + stime at that moment, ms (10 ms ticks). */
  cpuMs: number;
  /** SIGTERM → exit, ms. */
  stopMs: number;
  exit: string;
}

/** GET /healthz/ready; resolves with the status (0: not listening yet) and, on 200, the child's
 * CPU read right then, before the body is read. */
function probe(port: number, pid: number): Promise<{ status: number; cpuMs?: number }> {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/healthz/ready', agent: false, timeout: 2000 },
      (res) => {
        const cpuMs = res.statusCode === 200 ? processCpuMs(pid) : undefined;
        res.resume();
        resolve({ status: res.statusCode ?? 0, cpuMs });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0 }));
  });
}

function exited(proc: ChildProcess): Promise<string> {
  if (proc.exitCode !== null || proc.signalCode !== null)
    return Promise.resolve(String(proc.exitCode ?? proc.signalCode));
  return new Promise((r) => proc.once('exit', (code, sig) => r(String(code ?? sig))));
}

/** SIGTERM and wait for the exit; SIGKILL after STOP_TIMEOUT_MS. */
async function stop(proc: ChildProcess): Promise<{ ms: number; exit: string }> {
  const t = performance.now();
  const done = exited(proc);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    done,
    new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (exit !== undefined) return { ms: performance.now() - t, exit };
  proc.kill('SIGKILL');
  return { ms: performance.now() - t, exit: `SIGKILL after ${STOP_TIMEOUT_MS} ms: ${await done}` };
}

/** Spawns `node <args>`, polls its /healthz/ready on `healthPort` until 200, stops it. */
async function measureStart(
  cleanup: Cleanup,
  label: string,
  args: string[],
  healthPort: number,
  round: number,
): Promise<StartSample> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  // Killed however this ends (a throw below, the watchdog, an interrupt).
  const what = `stop ${label} (round ${round})`;
  cleanup.add(what, () => stop(proc));
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`${label}: spawn failed:\n${out}`);
  let ready: { wallMs: number; cpuMs: number } | undefined;
  while (performance.now() - t0 < READY_TIMEOUT_MS) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      throw new Error(
        `${label} exited (${proc.exitCode ?? proc.signalCode}) before ready:\n${out.slice(-4000)}`,
      );
    const r = await probe(healthPort, pid);
    if (r.status === 200) {
      const wallMs = performance.now() - t0;
      if (r.cpuMs === undefined) throw new Error(`${label}: /proc/${pid}/stat not readable`);
      ready = { wallMs, cpuMs: r.cpuMs };
      break;
    }
    await sleep(POLL_MS);
  }
  if (!ready) {
    await stop(proc);
    throw new Error(`${label}: not ready after ${READY_TIMEOUT_MS} ms:\n${out.slice(-4000)}`);
  }
  const s = await stop(proc);
  if (s.exit !== '0' && s.exit !== 'SIGTERM')
    process.stderr.write(`bench startup: ${label} exit ${s.exit}:\n${out.slice(-2000)}\n`);
  return { round, ...ready, stopMs: s.ms, exit: s.exit };
}

/** `node -e 0`: wall spawn → exit, CPU from this process's cutime + cstime (the children it
 * reaped), which grows by exactly this child's CPU when nothing else exits meanwhile. */
async function measureNodeExit(round: number): Promise<StartSample> {
  const before = reapedChildrenCpuMs();
  const t0 = performance.now();
  const proc = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    exited(proc),
    new Promise<undefined>((r) => {
      timer = setTimeout(() => r(undefined), READY_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  const wallMs = performance.now() - t0;
  if (exit === undefined) {
    proc.kill('SIGKILL');
    throw new Error(`node -e 0 did not exit within ${READY_TIMEOUT_MS} ms`);
  }
  return { round, wallMs, cpuMs: reapedChildrenCpuMs() - before, stopMs: 0, exit };
}

/** cutime + cstime of this process (fields 16 and 17 of /proc/self/stat), ms. */
function reapedChildrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLK_TCK;
}

// ---------------------------------------------------------------------------------------------
// The phase

export interface StartupOptions {
  /** Counted rounds (each: the baseline and every service once, order rotated). */
  rounds: number;
  /** No new counted round starts after this (performance.now() time), once one has run. */
  stopBy: number;
  log: (line: string) => void;
}

export interface StartupResult {
  rounds: number;
  samples: Record<VariantName, StartSample[]>;
  /** Context: `node -e 0`, spawn → exit. */
  nodeExit: StartSample[];
  /** Each service's flags (paths shortened), for the report. */
  flags: Record<ServiceName, string[]>;
  /** apps/cli/dist was replaced during the phase (by a build not ours): figures may mix builds. */
  distReplaced: boolean;
}

/** The baseline: `node -e` with an HTTP server answering /healthz/ready, nothing else. */
const BASELINE_SCRIPT =
  "require('node:http').createServer((q, s) => s.end('OK')).listen(+process.argv[1], '127.0.0.1')";

export async function runStartup(cleanup: Cleanup, opts: StartupOptions): Promise<StartupResult> {
  const nats = await startNats();
  cleanup.add('stop nats-server, remove its store', () => nats.stop());
  const gh = await startFakeGitHub();
  cleanup.add('stop fake GitHub', () => gh.close());
  const dir = tempDir(cleanup, 'jetprow-bench-startup-');
  const token = join(dir, 'token');
  writeFileSync(token, 'bench-token\n');
  const dataDir = (svc: string): string => {
    const d = join(dir, `${svc}-data`);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const config = [`--nats-url=${nats.url}`, `--config-path=${join(DEMO, 'config.yaml')}`];
  const github = [`--github-endpoint=${gh.url}`, `--github-token-path=${token}`];
  const jobs = `--job-config-path=${join(DEMO, 'jobs')}`;
  const plugins = `--plugin-config=${join(DEMO, 'plugins.yaml')}`;
  const plankData = dataDir('plank');
  const sinkerData = dataDir('sinker');
  // Only the flags each service reads (any other exits 2); see `jetprow <service> --help`.
  const flagsOf = (svc: ServiceName, port: number): string[] => {
    switch (svc) {
      case 'hook':
        return [
          ...config,
          plugins,
          `--hmac-secret-file=${join(DEMO, 'hmac-secret')}`,
          `--port=${port}`,
        ];
      case 'trigger':
        return [...config, jobs, plugins, ...github];
      case 'plank':
        return [...config, `--data-dir=${plankData}`];
      case 'reporter':
        return [...config, ...github, '--dry-run'];
      case 'sinker':
        return [...config, jobs, `--data-dir=${sinkerData}`];
    }
  };

  const stamp = distStamp();
  let distReplaced = false;
  const one = async (v: VariantName, round: number): Promise<StartSample> => {
    const healthPort = await freePort();
    if (v === 'baseline')
      return measureStart(
        cleanup,
        v,
        ['-e', BASELINE_SCRIPT, String(healthPort)],
        healthPort,
        round,
      );
    const metricsPort = await freePort();
    const port = await freePort();
    const args = [
      ...profileFlags(v, round),
      cliBin,
      v,
      ...flagsOf(v, port),
      `--health-port=${healthPort}`,
      `--metrics-port=${metricsPort}`,
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        return await measureStart(cleanup, v, args, healthPort, round);
      } catch (err) {
        if (!tornDist(err) || attempt >= 3) throw err;
        distReplaced = true;
        opts.log(`  ${v}: apps/cli/dist was being replaced (another build); retrying this start`);
        await waitForDist();
      }
    }
  };

  const variants: VariantName[] = ['baseline', ...SERVICES];
  const samples = Object.fromEntries(variants.map((v) => [v, []])) as unknown as Record<
    VariantName,
    StartSample[]
  >;
  const nodeExit: StartSample[] = [];

  // Warm-up: creates the streams, consumers and KV buckets, and warms the page cache.
  const tw = performance.now();
  for (const v of variants) await one(v, 0);
  opts.log(`  warm-up round (not counted): ${((performance.now() - tw) / 1000).toFixed(1)} s`);

  let rounds = 0;
  for (let k = 1; k <= opts.rounds; k++) {
    if (k > 1 && performance.now() > opts.stopBy) {
      opts.log(`  time budget reached: stopping after ${rounds} round(s)`);
      break;
    }
    const tr = performance.now();
    // Rotate the order, so that a noisy stretch does not always hit the same variant.
    const order = variants.map((_, i) => variants[(i + k - 1) % variants.length]!);
    for (const v of order) samples[v].push(await one(v, k));
    nodeExit.push(await measureNodeExit(k));
    rounds++;
    opts.log(
      `  round ${k}/${opts.rounds}: ${order.map((v) => `${v} ${fmt(samples[v].at(-1)!.cpuMs, 0)}`).join(', ')} ms CPU (${((performance.now() - tr) / 1000).toFixed(1)} s, load ${loadAverage()[0]})`,
    );
  }
  const short = (a: string): string =>
    a
      .replaceAll(dir, '$TMP')
      .replaceAll(repoRoot, '')
      .replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<port>');
  const flags = Object.fromEntries(SERVICES.map((s) => [s, flagsOf(s, 0).map(short)])) as Record<
    ServiceName,
    string[]
  >;
  if (distStamp() !== stamp) distReplaced = true;
  return { rounds, samples, nodeExit, flags, distReplaced };
}

// ---------------------------------------------------------------------------------------------
// The report

/** Prints the start-up table; returns the figures for BENCH_JSON. */
export function startupReport(
  r: StartupResult,
  out: (line?: string) => void,
  heading = '3. Start-up',
): Record<string, unknown> {
  const base = r.samples.baseline;
  const baseWall = median(base.map((s) => s.wallMs));
  const baseCpu = median(base.map((s) => s.cpuMs));
  // Per round, each service against the baseline of the same round; then the median over rounds.
  const ratio = (v: VariantName, k: 'wallMs' | 'cpuMs'): number =>
    median(
      r.samples[v].map((s) => s[k] / (base.find((b) => b.round === s.round)?.[k] ?? Number.NaN)),
    );
  out(
    `${heading}: exec of the built CLI (node apps/cli/bin/jetprow.mjs <service>) → /healthz/ready answers 200;`,
  );
  out(
    `   one start at a time, ${r.rounds} round(s) after a warm-up round, order rotated per round; medians over rounds.`,
  );
  out(
    "   CPU = the child's utime+stime (/proc/<pid>/stat, 10 ms ticks) when the 200 arrived. Baseline, the same way:",
  );
  out(
    '   node -e running a bare node:http server that answers /healthz/ready. Ratio: per round, then median.',
  );
  const rows: string[][] = [];
  const json: Record<string, unknown> = {};
  for (const v of ['baseline', ...SERVICES] as VariantName[]) {
    const s = r.samples[v];
    const wall = median(s.map((x) => x.wallMs));
    const cpu = median(s.map((x) => x.cpuMs));
    const isBase = v === 'baseline';
    const pass = cpu < TARGET_CPU_MS;
    rows.push([
      isBase ? 'node -e http server (baseline)' : v,
      fmt(wall, 0),
      fmt(cpu, 0),
      `${fmt(Math.min(...s.map((x) => x.cpuMs)), 0)}-${fmt(Math.max(...s.map((x) => x.cpuMs)), 0)}`,
      isBase ? '1 (base)' : fmt(ratio(v, 'wallMs'), 1),
      isBase ? '1 (base)' : fmt(ratio(v, 'cpuMs'), 1),
      isBase ? '' : `CPU to ready < ${TARGET_CPU_MS} ms`,
      isBase ? '' : pass ? 'PASS' : 'FAIL',
      fmt(median(s.map((x) => x.stopMs)), 0),
    ]);
    json[v] = {
      wallMsMedian: round(wall, 1),
      cpuMsMedian: round(cpu, 1),
      ratioWall: isBase ? 1 : round(ratio(v, 'wallMs'), 2),
      ratioCpu: isBase ? 1 : round(ratio(v, 'cpuMs'), 2),
      ...(isBase ? {} : { targetCpuMs: TARGET_CPU_MS, pass }),
      rounds: s.map((x) => ({
        round: x.round,
        wallMs: round(x.wallMs, 1),
        cpuMs: x.cpuMs,
        stopMs: round(x.stopMs, 1),
        exit: x.exit,
      })),
    };
  }
  const ne = r.nodeExit;
  rows.push([
    'node -e 0, spawn → exit (context)',
    fmt(median(ne.map((x) => x.wallMs)), 0),
    fmt(median(ne.map((x) => x.cpuMs)), 0),
    `${fmt(Math.min(...ne.map((x) => x.cpuMs)), 0)}-${fmt(Math.max(...ne.map((x) => x.cpuMs)), 0)}`,
    '',
    '',
    '',
    '',
    '',
  ]);
  out(
    table(
      [
        'process',
        'wall ms',
        'CPU ms',
        'CPU range',
        'wall ratio',
        'CPU ratio',
        'target',
        'verdict',
        'stop ms',
      ],
      rows,
    ),
  );
  out(
    `   (node -e 0: CPU from this process's cutime+cstime once the child was reaped; stop ms = SIGTERM → exit)`,
  );
  if (r.distReplaced)
    out(
      '   NOTE: apps/cli/dist was replaced by another build during this phase: figures may mix builds.',
    );
  const failing = SERVICES.filter(
    (v) => !(median(r.samples[v].map((x) => x.cpuMs)) < TARGET_CPU_MS),
  );
  out(
    failing.length === 0
      ? `   every service ready within ${TARGET_CPU_MS} ms of CPU`
      : `   above the ${TARGET_CPU_MS} ms CPU target: ${failing.join(', ')}`,
  );
  return {
    rounds: r.rounds,
    targetCpuMs: TARGET_CPU_MS,
    baseline: { wallMsMedian: round(baseWall, 1), cpuMsMedian: round(baseCpu, 1) },
    nodeExit: {
      wallMsMedian: round(median(ne.map((x) => x.wallMs)), 1),
      cpuMsMedian: round(median(ne.map((x) => x.cpuMs)), 1),
    },
    variants: json,
    failing,
    flags: r.flags,
    distReplaced: r.distReplaced,
  };
}

// ---------------------------------------------------------------------------------------------
// Alone: `npx tsx bench/startup.ts` (BENCH_STARTUP_ROUNDS, default 5)

async function standalone(): Promise<void> {
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  const tidyAndExit = async (code: number, why: string): Promise<never> => {
    process.stderr.write(`bench startup: ${why}\n`);
    await Promise.allSettled([...pendingCleanups].map((c) => c.run()));
    process.exit(code);
  };
  const HARD_DEADLINE_MS = 150_000;
  const watchdog = setTimeout(() => {
    void tidyAndExit(1, `not finished after ${HARD_DEADLINE_MS / 1000} s: aborted`);
  }, HARD_DEADLINE_MS);
  watchdog.unref();
  process.once('SIGINT', () => void tidyAndExit(130, 'interrupted'));
  process.once('SIGTERM', () => void tidyAndExit(143, 'terminated'));

  const raw = process.env.BENCH_STARTUP_ROUNDS ?? '5';
  const rounds = Number(raw);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20)
    throw new Error(`BENCH_STARTUP_ROUNDS=${raw}: expected an integer 1..20`);
  const t0 = performance.now();
  const startedAt = new Date();
  out('building the CLI (npm run build) …');
  const build = await buildCli();
  out(`  ${build.summary} (${(build.ms / 1000).toFixed(1)} s)`);
  const env = environment();
  const loadStart = loadAverage();
  out(`jetprow bench startup  ${startedAt.toISOString()}  commit ${env.commit}`);
  out(
    `environment: node ${env.node} | ${env.natsServer} | ${env.cores} cores (${env.cpuModel}) | ${env.platform}`,
  );
  out(`load average at start (1/5/15 min): ${loadStart.join(' / ')}`);
  out();
  const cleanup = new Cleanup();
  let result: StartupResult;
  try {
    result = await runStartup(cleanup, { rounds, stopBy: t0 + 100_000, log: out });
  } finally {
    await cleanup.run();
  }
  const loadEnd = loadAverage();
  out();
  const json = startupReport(result, out, 'Start-up');
  out();
  printLoadAndTotal(out, { start: loadStart, end: loadEnd }, env.cores, t0);
  out();
  out(
    `BENCH_JSON ${JSON.stringify({
      version: 1,
      startedAt: startedAt.toISOString(),
      seconds: round((performance.now() - t0) / 1000, 1),
      env: { ...env, loadAvg: { start: loadStart, end: loadEnd } },
      build: { ms: round(build.ms, 0), summary: build.summary },
      startup: json,
    })}`,
  );
  clearTimeout(watchdog);
  process.exit(0);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await standalone();
  } catch (err) {
    process.stderr.write(
      `bench startup: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    await Promise.allSettled([...pendingCleanups].map((c) => c.run()));
    process.exit(1);
  }
}
