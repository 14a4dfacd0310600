// `jetprow all` as a user runs it: up only when every service is ready, one per data dir (a
// killed run's lock taken over), one drain per Ctrl-C, GitHub App credentials never sent to the
// sandbox, and --kubeconfig reaching the services that use a cluster.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliBin, freePortRange, repoRoot, startFakeKube } from '@jetprow/testing';

const dirs: string[] = [];
const running: ChildProcess[] = [];
afterAll(() => {
  for (const p of running) if (p.exitCode === null && p.pid) killGroup(p, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'jetprow-all-'));
  dirs.push(d);
  return d;
}

function killGroup(p: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-p.pid!, signal);
  } catch {
    // gone
  }
}

interface AllRun {
  proc: ChildProcess;
  out(): string;
  /** Resolves with the output once `re` matches it; rejects on exit or timeout. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  ports: { hook: number; health: number; metrics: number };
}

async function startAll(dataDir: string, extra: string[] = []): Promise<AllRun> {
  const ports = {
    hook: await freePortRange(1),
    health: await freePortRange(5),
    metrics: await freePortRange(5),
  };
  // Its own process group, as a terminal gives it: a group SIGINT is what Ctrl-C sends.
  const proc = spawn(
    process.execPath,
    [
      cliBin,
      'all',
      `--data-dir=${dataDir}`,
      `--port=${ports.hook}`,
      `--health-port=${ports.health}`,
      `--metrics-port=${ports.metrics}`,
      ...extra,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  running.push(proc);
  let out = '';
  const listeners = new Set<() => void>();
  const keep = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  // 'close', not 'exit': the output is read to its end before the exit is reported.
  const exited = new Promise<number | null>((r) => proc.once('close', (code) => r(code)));
  return {
    proc,
    ports,
    exited,
    out: () => out,
    waitFor: (re, timeoutMs = 90_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (re.test(out)) {
            listeners.delete(check);
            clearTimeout(t);
            resolve(out);
          }
        };
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${re} in ${timeoutMs} ms:\n${out.slice(-6000)}`));
        }, timeoutMs);
        void exited.then((code) => {
          if (!re.test(out)) {
            clearTimeout(t);
            reject(new Error(`jetprow all exited (${code}) before ${re}:\n${out.slice(-6000)}`));
          }
        });
        listeners.add(check);
        check();
      }),
  };
}

const ready = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/healthz/ready`).catch(() => undefined))?.status;

const SERVICES = ['hook', 'trigger', 'plank', 'reporter', 'sinker'];

describe('jetprow all', { timeout: 240_000 }, () => {
  it('is up only once every service is ready; a second run on its data dir exits 2 naming it; Ctrl-C drains each service once', async () => {
    const dataDir = tempDir();
    const a = await startAll(dataDir);
    await a.waitFor(/jetprow is up/);
    // At the moment it says so, every service answers ready (hook listens for webhooks).
    const states = await Promise.all(SERVICES.map((_, i) => ready(a.ports.health + i)));
    expect(states).toEqual([200, 200, 200, 200, 200]);
    const lock = JSON.parse(readFileSync(join(dataDir, 'jetprow-all.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: a.proc.pid, ports: { hook: a.ports.hook } });

    const b = await startAll(dataDir);
    expect(await b.exited).toBe(2);
    expect(b.out()).toMatch(
      new RegExp(
        `another jetprow all \\(PID ${a.proc.pid}, .*hook ${a.ports.hook}.*\\) is using this data dir`,
      ),
    );
    expect(b.out()).not.toMatch(/nats-server/);

    killGroup(a.proc, 'SIGINT'); // what a terminal's Ctrl-C sends: the whole foreground group
    expect(await a.exited).toBe(0);
    const out = a.out();
    expect(out).not.toMatch(/second signal/);
    for (const svc of SERVICES) {
      const stopped = out
        .split('\n')
        .filter((l) => new RegExp(`^\\S+ ${svc}\\s+INFO\\s+stopped`).test(l));
      expect(stopped, `${svc} stopped once`).toHaveLength(1);
    }
    expect(existsSync(join(dataDir, 'jetprow-all.lock'))).toBe(false);
  });

  it('a SIGKILLed run leaves a stale lock: the next run takes it over and its nats-server, and comes up', async () => {
    const dataDir = tempDir();
    const a = await startAll(dataDir);
    await a.waitFor(/jetprow is up/);
    const natsPid = JSON.parse(readFileSync(join(dataDir, 'jetprow-all.lock'), 'utf8')).natsPid;
    expect(natsPid).toBeGreaterThan(0);
    a.proc.kill('SIGKILL');
    await a.exited;

    const b = await startAll(dataDir);
    await b.waitFor(new RegExp(`took over the lock of a run that is gone \\(PID ${a.proc.pid}\\)`));
    await b.waitFor(/jetprow is up/);
    expect(() => process.kill(natsPid, 0)).toThrow(); // the old nats-server is gone
    killGroup(b.proc, 'SIGINT');
    expect(await b.exited).toBe(0);
  });

  it('with GitHub App credentials it talks to GitHub, not the sandbox', async () => {
    const dir = tempDir();
    const key = join(dir, 'app.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(key, privateKey.export({ type: 'pkcs1', format: 'pem' }));
    const a = await startAll(join(dir, 'data'), [
      '--github-app-id=12345',
      `--github-app-private-key-path=${key}`,
      '--github-endpoint=http://127.0.0.1:9/',
    ]);
    await a.waitFor(/GitHub: http:\/\/127\.0\.0\.1:9\/ as GitHub App 12345/);
    expect(a.out()).not.toMatch(/sandbox/);
    killGroup(a.proc, 'SIGINT');
    await a.exited;
  });

  it('--kubeconfig: ProwJobs of a /test all land in that cluster', async () => {
    const kube = await startFakeKube();
    try {
      const dir = tempDir();
      const kubeconfig = kube.writeKubeconfig(join(dir, 'kubeconfig'));
      const a = await startAll(join(dir, 'data'), [`--kubeconfig=${kubeconfig}`]);
      await a.waitFor(/jetprow is up/);
      const phony = spawn(
        process.execPath,
        [cliBin, 'phony', `--address=http://127.0.0.1:${a.ports.hook}/hook`],
        {
          cwd: repoRoot,
          stdio: 'ignore',
        },
      );
      expect(await new Promise((r) => phony.once('exit', r))).toBe(0);
      await expect
        .poll(() => kube.state.prowJobs('default').length, { timeout: 60_000, interval: 250 })
        .toBeGreaterThanOrEqual(2);
      killGroup(a.proc, 'SIGINT');
      expect(await a.exited).toBe(0);
    } finally {
      await kube.close();
    }
  });
});
