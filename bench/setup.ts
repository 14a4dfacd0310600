// Shared setup for the benchmarks: the environment snapshot, cleanup, temp dirs, service
// processes, webhook bodies, a keep-alive HTTP client and a bounded concurrency window.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServer, freePort } from '@jetprow/bus';
import {
  fakeSha,
  prCommentPayload,
  repoRoot,
  signBody,
  spawnService,
  startFakeGitHub,
  startNats,
  type FakeGitHub,
  type NatsHarness,
  type ServiceProcess,
} from '@jetprow/testing';
import { flagsFor, hookFlags, serviceFlags, writeConfigDir } from '../test/support/e2e-env.js';

export const SECRET = 'bench-secret';
export const ORG = 'acme';
export const REPO = 'widgets';
export const PR = 12;
export const MEMBER = 'alice';
/** The one presubmit of the latency benchmark. */
export const JOB = 'pull-widgets-start';
export const HEAD = fakeSha('bench-head');

// ---------------------------------------------------------------------------------------------
// Environment

export interface Environment {
  node: string;
  natsServer: string;
  cores: number;
  cpuModel: string;
  platform: string;
  totalMemGiB: number;
  commit: string;
}

export function environment(): Environment {
  let natsServer = 'unknown';
  try {
    natsServer = execFileSync(findNatsServer(), ['--version'], {
      encoding: 'utf8',
      timeout: 5000,
    }).trim();
  } catch {
    // reported as unknown
  }
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 5000,
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 5000,
    }).trim();
    if (dirty) commit += '+dirty';
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    natsServer,
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    commit,
  };
}

/** The footer every benchmark prints: the load average when it started and ended, its run time. */
export function printLoadAndTotal(
  out: (line?: string) => void,
  load: { start: number[]; end: number[] },
  cores: number,
  t0: number,
): void {
  out(
    `load average: start ${load.start.join(' / ')} | end ${load.end.join(' / ')}  (${cores} cores)`,
  );
  out(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return [a, b, c].map((v) => Math.round(v * 100) / 100) as [number, number, number];
}

// ---------------------------------------------------------------------------------------------
// Cleanup: LIFO, every step bounded, errors reported but never stopping the rest.

/** Every Cleanup not yet run, so an interrupt or the watchdog can still tidy up. */
export const pendingCleanups = new Set<Cleanup>();

export class Cleanup {
  private readonly steps: { what: string; fn: () => Promise<unknown> | unknown }[] = [];

  constructor() {
    pendingCleanups.add(this);
  }

  add(what: string, fn: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, fn });
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(step.fn),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('timed out after 15 s')), 15_000);
          }),
        ]);
      } catch (err) {
        process.stderr.write(`bench cleanup: ${step.what}: ${String(err)}\n`);
      } finally {
        clearTimeout(timer);
      }
    }
    pendingCleanups.delete(this);
  }
}

export function tempDir(cleanup: Cleanup, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Service processes (the same CLI users run, via @jetprow/testing's spawnService)

/** Spawns a service and waits until ready; `stopWith` collects it for a cleanup step that stops
 * several at once (default: its own cleanup step). */
export async function startService(
  cleanup: Cleanup,
  name: string,
  args: string[],
  stopWith?: ServiceProcess[],
): Promise<ServiceProcess> {
  const p = await spawnService(name, flagsFor(name, args));
  if (stopWith) stopWith.push(p);
  else cleanup.add(`stop ${name}`, () => stopService(p));
  try {
    // Generous: on a loaded 2-core machine several services starting at once take long. The
    // run's watchdog bounds it anyway.
    await p.waitReady(120_000);
  } catch (err) {
    throw new Error(`${name} did not become ready: ${String(err).slice(0, 4000)}`);
  }
  return p;
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
export async function stopService(p: ServiceProcess): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  const exited = p.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(true), 10_000);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) await p.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// The rig both phases share: one nats-server (temp store), the fake GitHub (an org member, a
// branch, a PR), config files, and hook as a service process with the flags of the e2e tests
// (test/support/e2e-env.ts).

export interface Rig {
  nats: NatsHarness;
  gh: FakeGitHub;
  dir: string;
  dataDir: string;
  /** Flags every service gets. */
  common: string[];
  hookPort: number;
  hook: ServiceProcess;
}

export async function startRig(cleanup: Cleanup): Promise<Rig> {
  const nats = await startNats();
  cleanup.add('stop nats-server, remove its store', () => nats.stop());
  const gh = await startFakeGitHub();
  cleanup.add('stop fake GitHub', () => gh.close());
  gh.state.addOrgMember(ORG, MEMBER);
  gh.state.setBranch(ORG, REPO, 'main', fakeSha('main'));
  gh.state.addPullRequest({
    owner: ORG,
    repo: REPO,
    number: PR,
    user: MEMBER,
    head: { sha: HEAD, ref: 'feature' },
    base: { ref: 'main' },
    files: [{ filename: 'a.go' }],
  });

  const dir = tempDir(cleanup, 'jetprow-bench-');
  const paths = writeConfigDir(dir, {
    config: 'prowjob_namespace: default\nplank:\n  max_revivals: 3\n',
    // One always_run presubmit whose command records when it ran (see latency.ts).
    jobs: `presubmits:\n  ${ORG}/${REPO}:\n  - name: ${JOB}\n    always_run: true\n    spec:\n      containers:\n      - image: alpine\n        command: [date, '+%s%N']\n`,
    org: ORG,
    hmac: SECRET,
    token: 'bench-token\n',
  });
  const common = serviceFlags(paths, nats.url, gh.url);
  const hookPort = await freePort();
  const hook = await startService(cleanup, 'hook', [...common, ...hookFlags(paths, hookPort)]);
  return { nats, gh, dir, dataDir: paths.data, common, hookPort, hook };
}

// ---------------------------------------------------------------------------------------------
// Webhook deliveries

export interface Delivery {
  body: Buffer;
  signature: string;
}

/**
 * `count` distinct, signed `issue_comment` bodies (GitHub's recorded example via
 * prCommentPayload, each with its own comment id), built before any timing starts.
 */
export function commentDeliveries(count: number, text: (i: number) => string): Delivery[] {
  const base = prCommentPayload({
    org: ORG,
    repo: REPO,
    number: PR,
    prAuthor: MEMBER,
    commenter: MEMBER,
    body: '',
  });
  const out: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const p = structuredClone(base);
    p.comment.id = 1_000_000 + i;
    p.comment.node_id = `IC_bench${i}`;
    p.comment.body = text(i);
    p.comment.html_url = `https://github.com/${ORG}/${REPO}/pull/${PR}#issuecomment-${p.comment.id}`;
    p.comment.url = `https://api.github.com/repos/${ORG}/${REPO}/issues/comments/${p.comment.id}`;
    const body = Buffer.from(JSON.stringify(p));
    out.push({ body, signature: signBody(SECRET, body) });
  }
  return out;
}

export function webhookHeaders(d: Delivery, guid: string): http.OutgoingHttpHeaders {
  return {
    'content-type': 'application/json',
    'content-length': d.body.length,
    'x-github-event': 'issue_comment',
    'x-github-delivery': guid,
    'x-hub-signature-256': d.signature,
    'user-agent': 'GitHub-Hookshot/bench',
  };
}

/** A keep-alive HTTP/1.1 client with exactly `sockets` connections to reuse. */
export function keepAliveAgent(cleanup: Cleanup, sockets: number): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  cleanup.add('close http agent', () => agent.destroy());
  return agent;
}

/** POSTs and resolves with the status code once the whole response has been read. */
export function post(
  agent: http.Agent,
  port: number,
  path: string,
  headers: http.OutgoingHttpHeaders,
  body: Buffer,
  timeoutMs = 15_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers, timeout: timeoutMs },
      (res) => {
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------
// A bounded window: at most `concurrency` operations in flight, at most `n` in all, and no new
// one started after `budgetMs`.

export interface WindowResult {
  /** Operations started and finished. */
  done: number;
  /** Operations that reported success. */
  ok: number;
  errors: number;
  firstError?: string;
  ms: number;
  /** Per-operation latency, ms. */
  latencies: number[];
}

export async function runWindow(
  n: number,
  concurrency: number,
  budgetMs: number,
  one: (i: number) => Promise<boolean>,
): Promise<WindowResult> {
  let next = 0;
  const res: WindowResult = { done: 0, ok: 0, errors: 0, ms: 0, latencies: [] };
  const start = performance.now();
  const stopAt = start + budgetMs;
  async function worker(): Promise<void> {
    while (next < n && performance.now() < stopAt) {
      const i = next++;
      const t = performance.now();
      let ok = false;
      try {
        ok = await one(i);
      } catch (err) {
        res.firstError ??= String(err);
      }
      res.latencies.push(performance.now() - t);
      res.done++;
      if (ok) res.ok++;
      else res.errors++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  res.ms = performance.now() - start;
  return res;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with a message naming what was awaited. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// CPU time of a process (Linux /proc; clock ticks of 10 ms), for "CPU ms per event" figures.

const CLK_TCK = 100;

/** utime + stime of `pid` in ms, or undefined where /proc is not readable. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** CPU ms used by this process (user + system). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
