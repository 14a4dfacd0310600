// JobRunner on local processes: the embedded default. A build is `pod_spec.containers[0]` run as
// a process under a tiny `/bin/sh` wrapper, spawned detached (its own session and process group)
// so it outlives plank the way a Pod does. The wrapper records the command's exit code atomically;
// every fact about a build lives in its directory (build-dir.ts), so a new runner instance adopts
// builds a killed one started.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync, renameSync } from 'node:fs';
import { mkdir, open, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProwJob } from '@jetprow/schemas';
import { containerCommand, isValidBuildName } from './container-command.js';
import { BuildWatcher } from './build-watcher.js';
import {
  Files,
  readBuildFiles,
  writeAtomic,
  type BuildMeta,
  type StoppedRecord,
} from './build-dir.js';
import { BuildStartError, type BuildInfo, type BuildStatus, type JobRunner } from './job-runner.js';
import { isBuildProcessAlive, isGroupAlive, signalGroup } from './process-alive.js';

/** The logging surface the runner needs; a pino logger satisfies it. */
export interface RunnerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface LocalProcessRunnerOptions {
  /** Where build directories live. Created when missing. */
  dir: string;
  log?: RunnerLog;
  /** How often watched builds this process did not start are polled. Default 500 ms. */
  pollMs?: number;
  /** SIGTERM → SIGKILL grace for stop(). Default 5 s. */
  stopGraceMs?: number;
  /** How long a build directory without a pid counts as starting, not lost. Default 10 s. */
  startGraceMs?: number;
}

// $1 = the build directory; the rest is the command. The wrapper records its own pid first, so a
// runner killed right after spawn still leaves a findable build; the exit code is written with
// tmp + mv so a reader never sees half a file. Exported for the bench's spawn baseline.
export const BUILD_WRAPPER = [
  'd="$1"; shift',
  'echo $$ > "$d/pid.tmp-w" && mv -f "$d/pid.tmp-w" "$d/pid"',
  '"$@"',
  'c=$?',
  'echo "$c" > "$d/exit.tmp-w" && mv -f "$d/exit.tmp-w" "$d/exit"',
  'exit "$c"',
].join('\n');

const silent: RunnerLog = { info() {}, warn() {}, error() {} };
const DONE = new Set(['succeeded', 'failed', 'missing']);

export class LocalProcessRunner implements JobRunner {
  readonly dir: string;
  private readonly log: RunnerLog;
  private readonly stopGraceMs: number;
  private readonly startGraceMs: number;
  private readonly children = new Map<string, ChildProcess>();
  private readonly watcher: BuildWatcher;

  constructor(opts: LocalProcessRunnerOptions) {
    this.dir = resolve(opts.dir);
    this.log = opts.log ?? silent;
    this.stopGraceMs = opts.stopGraceMs ?? 5000;
    this.startGraceMs = opts.startGraceMs ?? 10_000;
    this.watcher = new BuildWatcher({
      pollMs: opts.pollMs ?? 500,
      // A build this runner spawned ends with its child's exit event (notify): not polled.
      isDone: async (name) => !this.children.has(name) && DONE.has((await this.status(name)).phase),
      onError: (name, err) =>
        this.log.warn({ build: name, err: String(err) }, 'build watch failed'),
    });
  }

  buildDir(name: string): string {
    return join(this.dir, name);
  }

  logPath(name: string): string {
    return join(this.buildDir(name), Files.log);
  }

  async start(pj: ProwJob, buildId: string, env: Record<string, string>): Promise<void> {
    const cmd = containerCommand(pj, env); // BuildStartError before anything is created
    const name = pj.metadata.name;
    const buildDir = this.buildDir(name);
    const cwd = cmd.workingDir ? resolve(buildDir, cmd.workingDir) : buildDir;
    await mkdir(this.dir, { recursive: true });
    try {
      await mkdir(buildDir); // exclusive: of two concurrent starts exactly one gets here
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return; // adopt the existing build
      throw new Error(`create build directory ${buildDir}`, { cause: err });
    }
    // A decorated job may write to $ARTIFACTS, as Prow's entrypoint creates that directory; here
    // it is the build directory's `artifacts/` (there is no sidecar to upload it).
    const artifacts = join(buildDir, 'artifacts');
    const buildEnv = pj.spec.decoration_config ? { ...cmd.env, ARTIFACTS: artifacts } : cmd.env;
    if (pj.spec.decoration_config) await mkdir(artifacts);
    try {
      if (cmd.workingDir) await mkdir(cwd, { recursive: true }); // as the container runtime does
    } catch (cause) {
      await rm(buildDir, { recursive: true, force: true });
      throw new BuildStartError(`cannot create workingDir ${cmd.workingDir}`, { cause });
    }
    const meta: BuildMeta = {
      name,
      prowJob: pj.metadata.name,
      buildId,
      startedAt: new Date().toISOString(),
      argv: cmd.argv,
      cwd,
    };
    await writeAtomic(join(buildDir, Files.meta), JSON.stringify(meta, null, 2));
    if (!this.spawnBuild(name, buildDir, cwd, cmd.argv, { ...process.env, ...buildEnv })) {
      // Nothing runs (e.g. EAGAIN): leave no directory, or the retry would adopt a dead build.
      await rm(buildDir, { recursive: true, force: true });
      throw new Error(`spawn build ${name}: no process was created`);
    }
    this.log.info({ build: name, buildId, argv: cmd.argv }, 'build started');
  }

  /** Spawns the wrapper and records its pid; false when no process was created. */
  private spawnBuild(
    name: string,
    buildDir: string,
    cwd: string,
    argv: string[],
    env: NodeJS.ProcessEnv,
  ): boolean {
    const logFd = openSync(join(buildDir, Files.log), 'a');
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', BUILD_WRAPPER, 'jetprow-build', buildDir, ...argv], {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', logFd, logFd],
      });
    } finally {
      closeSync(logFd);
    }
    child.on('error', (err) =>
      this.log.error({ build: name, err: String(err) }, 'build spawn error'),
    );
    if (child.pid === undefined) return false;
    const pidTmp = join(buildDir, `${Files.pid}.tmp-r`);
    writeFileSync(pidTmp, `${child.pid}\n`);
    renameSync(pidTmp, join(buildDir, Files.pid));
    this.children.set(name, child);
    child.once('exit', () => {
      this.children.delete(name);
      this.watcher.notify(name);
    });
    child.unref();
    return true;
  }

  async status(name: string): Promise<BuildStatus> {
    if (!isValidBuildName(name)) return { phase: 'missing' };
    const buildDir = this.buildDir(name);
    const files = await readBuildFiles(buildDir);
    if (!files) return { phase: 'missing' };
    const base: BuildStatus = { phase: 'missing' };
    const startedAt = files.meta?.startedAt;
    if (startedAt) base.startedAt = startedAt;
    if (files.meta?.buildId) base.buildId = files.meta.buildId;
    if (files.stopped) {
      const { exitCode, reason, finishedAt } = files.stopped;
      return { ...base, phase: 'failed', exitCode, reason, finishedAt };
    }
    const ended = (exit: { code: number; finishedAt: string }): BuildStatus => ({
      ...base,
      phase: exit.code === 0 ? 'succeeded' : 'failed',
      exitCode: exit.code,
      finishedAt: exit.finishedAt,
    });
    if (files.exit) return ended(files.exit);
    if (files.pid !== undefined) {
      if (await isBuildProcessAlive(files.pid, buildDir)) return { ...base, phase: 'running' };
      // It may have ended (or been stopped) between the reads: look once more.
      const again = await readBuildFiles(buildDir);
      if (again?.stopped || again?.exit) return this.status(name);
      return { ...base, reason: 'lost' };
    }
    const since = Date.parse(startedAt ?? files.createdAt);
    if (Date.now() - since < this.startGraceMs) return { ...base, phase: 'pending' };
    return { ...base, reason: 'lost' };
  }

  async stop(name: string): Promise<void> {
    if (!isValidBuildName(name)) return;
    const buildDir = this.buildDir(name);
    const files = await readBuildFiles(buildDir);
    if (!files || files.stopped || files.exit) return; // gone, or already ended
    const record = (exitCode: number): Promise<void> => {
      const r: StoppedRecord = {
        exitCode,
        reason: 'stopped',
        finishedAt: new Date().toISOString(),
      };
      return writeAtomic(join(buildDir, Files.stopped), JSON.stringify(r));
    };
    // Recorded before signalling, so nobody ever sees the killed build as "lost".
    await record(143);
    const pid = files.pid;
    if (pid === undefined || !signalGroup(pid, 'SIGTERM')) return;
    const deadline = Date.now() + this.stopGraceMs;
    while (Date.now() < deadline) {
      if (!(await isGroupAlive(pid))) return;
      await sleep(50);
    }
    if (!signalGroup(pid, 'SIGKILL')) return;
    await record(137);
    this.log.info({ build: name }, 'build did not stop on SIGTERM: killed');
  }

  async delete(name: string): Promise<void> {
    if (!isValidBuildName(name)) return;
    await this.stop(name);
    await rm(this.buildDir(name), { recursive: true, force: true });
  }

  async list(): Promise<BuildInfo[]> {
    let entries;
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: BuildInfo[] = [];
    for (const e of entries) {
      if (!e.isDirectory() || !isValidBuildName(e.name)) continue;
      const [files, status] = await Promise.all([
        readBuildFiles(this.buildDir(e.name)),
        this.status(e.name),
      ]);
      if (!files) continue; // deleted meanwhile
      out.push({
        name: e.name,
        prowJob: files.meta?.prowJob ?? e.name,
        startedAt: files.meta?.startedAt ?? files.createdAt,
        phase: status.phase,
        ...(files.meta?.buildId ? { buildId: files.meta.buildId } : {}),
      });
    }
    return out;
  }

  watch(name: string, onDone: (name: string) => void): void {
    this.watcher.add(name, onDone);
  }

  async readLog(name: string, opts: { tailBytes?: number } = {}): Promise<string | undefined> {
    if (!isValidBuildName(name)) return undefined;
    let fh;
    try {
      fh = await open(this.logPath(name), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return (await readBuildFiles(this.buildDir(name))) ? '' : undefined;
    }
    try {
      const { size } = await fh.stat();
      const from = opts.tailBytes !== undefined ? Math.max(0, size - opts.tailBytes) : 0;
      const buf = Buffer.alloc(size - from);
      await fh.read(buf, 0, buf.length, from);
      const text = buf.toString('utf8');
      return from > 0 ? `[… ${from} earlier bytes not shown …]\n${text}` : text;
    } finally {
      await fh.close();
    }
  }

  async close(): Promise<void> {
    this.watcher.close();
    for (const child of this.children.values()) child.removeAllListeners('exit');
    this.children.clear();
  }
}
