import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { Container, ProwJob } from '@jetprow/schemas';
import { BuildStartError } from './job-runner.js';
import { LocalProcessRunner } from './local-process-runner.js';

let root: string;
let runner: LocalProcessRunner;
let seq = 0;

function job(container: Container, name = `b${++seq}`): ProwJob {
  const spec = periodicSpec({ name: 'ci-job', spec: { containers: [container] } });
  return newProwJob(spec, { name, now: new Date() });
}
const sh = (script: string, extra: Partial<Container> = {}): Container => ({
  command: ['sh', '-c'],
  args: [script],
  ...extra,
});
const poll = { timeout: 20_000, interval: 50 };
const phaseOf = async (r: LocalProcessRunner, name: string): Promise<string> =>
  (await r.status(name)).phase;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'jetprow-runner-'));
  runner = new LocalProcessRunner({ dir: join(root, 'builds'), stopGraceMs: 1000 });
});
afterAll(async () => {
  for (const b of await runner.list()) await runner.delete(b.name); // no process outlives the suite
  await runner.close();
  rmSync(root, { recursive: true, force: true });
});

describe('LocalProcessRunner: decorated jobs', () => {
  it('a decorated job gets $ARTIFACTS, an existing directory in its build directory', async () => {
    const pj = job(
      sh('test -d "$ARTIFACTS" && echo "$ARTIFACTS" && echo kept > "$ARTIFACTS/out.txt"'),
    );
    pj.spec.decoration_config = { timeout: '1h' };
    await runner.start(pj, 'id-a', {});
    await expect.poll(() => phaseOf(runner, pj.metadata.name), poll).toBe('succeeded');
    const artifacts = join(root, 'builds', pj.metadata.name, 'artifacts');
    expect((await runner.readLog(pj.metadata.name))?.trim()).toBe(artifacts);
    expect(readFileSync(join(artifacts, 'out.txt'), 'utf8')).toBe('kept\n');
  });

  it('an undecorated job gets no $ARTIFACTS from the runner', async () => {
    const pj = job(sh('echo "[${ARTIFACTS:-unset}]"'));
    await runner.start(pj, 'id-b', {});
    await expect.poll(() => phaseOf(runner, pj.metadata.name), poll).toBe('succeeded');
    // Builds inherit the runner's environment; the runner adds nothing for an undecorated job.
    expect((await runner.readLog(pj.metadata.name))?.trim()).toBe(
      `[${process.env.ARTIFACTS || 'unset'}]`,
    );
  });
});

describe('LocalProcessRunner: a build runs containers[0] and records how it ended', () => {
  const cases = [
    { name: 'exit 0 → succeeded', script: 'echo hi', phase: 'succeeded', code: 0, log: 'hi' },
    { name: 'exit 1 → failed', script: 'echo no >&2; exit 1', phase: 'failed', code: 1, log: 'no' },
    { name: 'exit 3 → failed with its code', script: 'exit 3', phase: 'failed', code: 3, log: '' },
    { name: 'not found → 127', script: 'no-such-x', phase: 'failed', code: 127, log: 'not found' },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const pj = job(sh(tc.script));
      await runner.start(pj, 'id-1', {});
      await expect.poll(() => phaseOf(runner, pj.metadata.name), poll).toBe(tc.phase);
      const st = await runner.status(pj.metadata.name);
      expect(st).toMatchObject({ exitCode: tc.code, buildId: 'id-1' });
      expect(st.startedAt).toBeTruthy();
      expect(st.finishedAt).toBeTruthy();
      expect(readFileSync(runner.logPath(pj.metadata.name), 'utf8')).toContain(tc.log);
      expect(await runner.readLog(pj.metadata.name)).toContain(tc.log);
    });
  }
});

describe('LocalProcessRunner: environment and working directory', () => {
  it('passes process env, container env and the Prow env', async () => {
    const script = 'echo "job=$JOB_NAME build=$BUILD_ID foo=$FOO arg=$1 path=${PATH:+set}"';
    const pj = job({
      command: ['sh', '-c'],
      args: [script, 'x', '$(FOO)'], // $(FOO) is Kubernetes' expansion, $FOO the shell's
      env: [
        { name: 'FOO', value: 'from-container' },
        { name: 'JOB_NAME', value: 'overridden' },
      ],
    });
    await runner.start(pj, '77', { JOB_NAME: 'ci-job', BUILD_ID: '77' });
    await expect.poll(() => phaseOf(runner, pj.metadata.name), poll).toBe('succeeded');
    expect(await runner.readLog(pj.metadata.name)).toBe(
      'job=ci-job build=77 foo=from-container arg=from-container path=set\n',
    );
  });

  it('runs in workingDir when set, else in the build directory', async () => {
    const wd = join(root, 'work', 'here');
    const a = job(sh('pwd', { workingDir: wd }));
    const b = job(sh('pwd'));
    await runner.start(a, '1', {});
    await runner.start(b, '1', {});
    await expect.poll(() => phaseOf(runner, b.metadata.name), poll).toBe('succeeded');
    await expect.poll(() => phaseOf(runner, a.metadata.name), poll).toBe('succeeded');
    expect((await runner.readLog(a.metadata.name))?.trim()).toBe(wd);
    expect((await runner.readLog(b.metadata.name))?.trim()).toBe(runner.buildDir(b.metadata.name));
  });

  it('a job without a command cannot be started, and leaves nothing behind', async () => {
    const pj = job({ name: 'test', image: 'golang' });
    await expect(runner.start(pj, '1', {})).rejects.toBeInstanceOf(BuildStartError);
    await expect(runner.start(pj, '1', {})).rejects.toThrow(/no command to run/);
    expect(existsSync(runner.buildDir(pj.metadata.name))).toBe(false);
    expect(await runner.status(pj.metadata.name)).toEqual({ phase: 'missing' });
  });
});

describe('LocalProcessRunner: start is idempotent', () => {
  it('concurrent and repeated starts from two runner instances run the build once', async () => {
    const counter = join(root, 'counter');
    const other = new LocalProcessRunner({ dir: runner.dir });
    const pj = job(sh('echo run >> "$COUNTER"', { env: [{ name: 'COUNTER', value: counter }] }));
    await Promise.all([
      runner.start(pj, 'first', {}),
      other.start(pj, 'second', {}),
      runner.start(pj, 'third', {}),
    ]);
    await expect.poll(() => phaseOf(other, pj.metadata.name), poll).toBe('succeeded');
    await runner.start(pj, 'after-the-end', {}); // adopts the finished build
    expect(readFileSync(counter, 'utf8')).toBe('run\n');
    expect((await runner.status(pj.metadata.name)).buildId).toMatch(/^(first|second|third)$/);
    await other.close();
  });
});

describe('LocalProcessRunner: stop, delete, list', () => {
  it('stop sends SIGTERM to the process group and records 143 "stopped"', async () => {
    const pj = job(sh('sleep 60 & wait'));
    await runner.start(pj, '1', {});
    await expect.poll(() => phaseOf(runner, pj.metadata.name), poll).toBe('running');
    await runner.stop(pj.metadata.name);
    expect(await runner.status(pj.metadata.name)).toMatchObject({
      phase: 'failed',
      exitCode: 143,
      reason: 'stopped',
    });
    await runner.stop(pj.metadata.name); // idempotent
    expect((await runner.status(pj.metadata.name)).exitCode).toBe(143);
  });

  it('a build that ignores SIGTERM is killed after the grace: 137 "stopped"', async () => {
    const pj = job(sh("trap '' TERM; echo ready; while true; do sleep 0.2; done"));
    await runner.start(pj, '1', {});
    await expect.poll(() => runner.readLog(pj.metadata.name), poll).toContain('ready');
    await runner.stop(pj.metadata.name);
    expect(await runner.status(pj.metadata.name)).toMatchObject({
      phase: 'failed',
      exitCode: 137,
      reason: 'stopped',
    });
  });

  it('delete stops and removes the build; list shows every build', async () => {
    const pj = job(sh('sleep 60'));
    await runner.start(pj, 'bid', {});
    const listed = (await runner.list()).find((b) => b.name === pj.metadata.name);
    expect(listed).toMatchObject({ prowJob: pj.metadata.name, buildId: 'bid' });
    expect(listed?.startedAt).toBeTruthy();
    await runner.delete(pj.metadata.name);
    expect(existsSync(runner.buildDir(pj.metadata.name))).toBe(false);
    expect((await runner.status(pj.metadata.name)).phase).toBe('missing');
    expect((await runner.list()).some((b) => b.name === pj.metadata.name)).toBe(false);
    await runner.delete(pj.metadata.name); // idempotent
    expect(await runner.readLog(pj.metadata.name)).toBeUndefined();
  });

  it('a build whose process vanished without an exit code is missing ("lost")', async () => {
    const pj = job(sh('sleep 60'));
    await runner.start(pj, '1', {});
    await expect.poll(() => phaseOf(runner, pj.metadata.name), poll).toBe('running');
    const pid = Number(readFileSync(join(runner.buildDir(pj.metadata.name), 'pid'), 'utf8'));
    process.kill(-pid, 'SIGKILL'); // like a node that died: nobody wrote the exit code
    await expect
      .poll(() => runner.status(pj.metadata.name), poll)
      .toMatchObject({
        phase: 'missing',
        reason: 'lost',
      });
    await runner.delete(pj.metadata.name);
  });
});

describe('LocalProcessRunner: watch', () => {
  it('calls onDone once for a build this runner started (exit event)', async () => {
    const pj = job(sh('while [ ! -f go ]; do sleep 0.05; done'));
    await runner.start(pj, '1', {});
    const calls: string[] = [];
    const onDone = (n: string): void => void calls.push(n);
    runner.watch(pj.metadata.name, onDone);
    runner.watch(pj.metadata.name, onDone); // same listener twice counts once
    writeFileSync(join(runner.buildDir(pj.metadata.name), 'go'), '');
    await expect.poll(() => calls, poll).toEqual([pj.metadata.name]);
    expect((await runner.status(pj.metadata.name)).phase).toBe('succeeded');
  });

  it('a build this runner started is not polled: its exit tells the listeners', async () => {
    const own = new LocalProcessRunner({ dir: runner.dir, pollMs: 20 });
    const pj = job(sh('while [ ! -f go ]; do sleep 0.05; done'));
    await own.start(pj, '1', {});
    const statusReads = vi.spyOn(own, 'status');
    const calls: string[] = [];
    own.watch(pj.metadata.name, (n) => calls.push(n));
    own.watch(pj.metadata.name, (n) => calls.push(`again ${n}`));
    await new Promise((r) => setTimeout(r, 300)); // 15 poll periods
    expect(statusReads).not.toHaveBeenCalled();
    writeFileSync(join(own.buildDir(pj.metadata.name), 'go'), '');
    await expect
      .poll(() => calls.sort(), poll)
      .toEqual([`again ${pj.metadata.name}`, pj.metadata.name]);
    await own.close();
  });

  it('polls builds another runner started, and reports finished ones at once', async () => {
    const watcher = new LocalProcessRunner({ dir: runner.dir, pollMs: 100 });
    const pj = job(sh('while [ ! -f go ]; do sleep 0.05; done; exit 2'));
    await runner.start(pj, '1', {});
    const calls: string[] = [];
    watcher.watch(pj.metadata.name, (n) => calls.push(n));
    writeFileSync(join(runner.buildDir(pj.metadata.name), 'go'), '');
    await expect.poll(() => calls, poll).toEqual([pj.metadata.name]);
    const late: string[] = [];
    watcher.watch(pj.metadata.name, (n) => late.push(n)); // already finished
    await expect.poll(() => late, poll).toEqual([pj.metadata.name]);
    expect(calls).toEqual([pj.metadata.name]); // not called again
    await watcher.close();
  });
});

describe('LocalProcessRunner: a build survives the process that started it', () => {
  it('SIGKILL of the starter: a new runner sees it running, then its exit code', async () => {
    const name = `survivor-${++seq}`;
    const fixture = fileURLToPath(new URL('./fixtures/start-build.ts', import.meta.url));
    const script = 'while [ ! -f go ]; do sleep 0.05; done; exit 4';
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, runner.dir, name, script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<NodeJS.Signals | null>((r) =>
      child.once('exit', (_code, signal) => r(signal)),
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toContain('started');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const fresh = new LocalProcessRunner({ dir: runner.dir, pollMs: 100 });
    expect(await fresh.status(name)).toMatchObject({
      phase: 'running',
      buildId: 'build-from-child',
    });
    const done: string[] = [];
    fresh.watch(name, (n) => done.push(n));
    writeFileSync(join(fresh.buildDir(name), 'go'), '');
    await expect.poll(() => done, poll).toEqual([name]);
    expect(await fresh.status(name)).toMatchObject({ phase: 'failed', exitCode: 4 });
    await fresh.close();
  });
});
