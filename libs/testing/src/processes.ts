// Running jetprow services as real child processes in tests, through the same CLI users run.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { freePort } from '@jetprow/bus';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliBin = fileURLToPath(new URL('../../../apps/cli/bin/jetprow.mjs', import.meta.url));

export interface ServiceProcess {
  name: string;
  proc: ChildProcess;
  healthPort: number;
  metricsPort: number;
  /** Everything the process wrote to stderr (its JSON log), for diagnosing failures. */
  output(): string;
  waitReady(timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnService(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  const healthPort = await freePort();
  const metricsPort = await freePort();
  const proc = spawn(
    process.execPath,
    [cliBin, name, ...args, `--health-port=${healthPort}`, `--metrics-port=${metricsPort}`],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let out = '';
  const keep = (d: Buffer): void => {
    out = (out + d.toString()).slice(-200_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return {
    name,
    proc,
    healthPort,
    metricsPort,
    output: () => out,
    async waitReady(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (proc.exitCode !== null)
          throw new Error(`${name} exited with ${proc.exitCode}:\n${out}`);
        try {
          const res = await fetch(`http://127.0.0.1:${healthPort}/healthz/ready`);
          if (res.ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${name} not ready after ${timeoutMs} ms:\n${out}`);
    },
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

const portFree = (port: number) =>
  new Promise<boolean>((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });

/** A base port with `n` free ports from it (`jetprow all` gives the services base+0..4). */
export async function freePortRange(n: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const free = await Promise.all(Array.from({ length: n }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `jetprow <args>` to its end (SIGKILLed after 90 s) and returns what it printed. */
export function runJetprow(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cliBin, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), 90_000);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}
