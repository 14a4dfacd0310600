// Running jetprow services as real child processes in tests, through the same CLI users run.
import { spawn, type ChildProcess } from 'node:child_process';
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
