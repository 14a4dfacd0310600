// Test double: an in-memory JobRunner that records what it was asked as readable strings
// ("start pj-1 b2", "stop pj-1", "delete pj-1") and reports whatever Pod facts a test gives a
// build (startedAt, deleting, disruption, …). Only tests import it.
import type { ProwJob } from '@jetprow/schemas';
import type { BuildInfo, BuildPhase, BuildStatus, JobRunner } from '@jetprow/runner';

/** The facts a test may set on a build beyond its phase, id and exit code. */
export type BuildFacts = Omit<BuildStatus, 'phase' | 'buildId' | 'exitCode'>;

interface FakeBuild {
  buildId: string;
  phase: BuildPhase;
  exitCode?: number;
  env: Record<string, string>;
  facts: BuildFacts;
}

export class FakeRunner implements JobRunner {
  readonly calls: string[] = [];
  readonly builds = new Map<string, FakeBuild>();
  readonly watchers = new Map<string, Set<(name: string) => void>>();
  /** Thrown by the next start() calls while set. */
  startError: Error | undefined;
  /** Runs inside start(), after the build exists (to interleave a concurrent writer). */
  onStart: ((pj: ProwJob) => Promise<void>) | undefined;
  /** Like a Pod: delete() only marks the build `deleting`; gone() removes it. */
  slowDelete = false;
  /** Sets `startedAt` on started builds (a Pod's status.startTime) when given. */
  clock: (() => Date) | undefined;

  /** Puts a build there as if an earlier sync had started it. */
  seed(
    name: string,
    buildId: string,
    phase: BuildPhase,
    exitCode?: number,
    facts: BuildFacts = {},
  ): void {
    const code = exitCode !== undefined ? { exitCode } : {};
    this.builds.set(name, { buildId, phase, env: {}, facts: { ...facts }, ...code });
  }

  finish(name: string, exitCode: number): void {
    const b = this.builds.get(name);
    if (!b) throw new Error(`no build ${name}`);
    b.phase = exitCode === 0 ? 'succeeded' : 'failed';
    b.exitCode = exitCode;
    this.notify(name);
  }

  /** A build that was being deleted is gone now (a Pod's deletion completed). */
  gone(name: string): void {
    this.builds.delete(name);
    this.notify(name);
  }

  private notify(name: string): void {
    const ws = this.watchers.get(name);
    this.watchers.delete(name);
    for (const w of ws ?? []) w(name);
  }

  async start(pj: ProwJob, buildId: string, env: Record<string, string>): Promise<void> {
    const name = pj.metadata.name;
    this.calls.push(`start ${name} ${buildId}`);
    if (this.startError) throw this.startError;
    if (!this.builds.has(name)) {
      const facts: BuildFacts = this.clock ? { startedAt: this.clock().toISOString() } : {};
      this.builds.set(name, { buildId, phase: 'running', env, facts });
    }
    await this.onStart?.(pj);
  }

  async status(name: string): Promise<BuildStatus> {
    const b = this.builds.get(name);
    if (!b) return { phase: 'missing' };
    const code = b.exitCode !== undefined ? { exitCode: b.exitCode } : {};
    return { ...b.facts, phase: b.phase, buildId: b.buildId, ...code };
  }

  async stop(name: string): Promise<void> {
    this.calls.push(`stop ${name}`);
    const b = this.builds.get(name);
    if (b && (b.phase === 'running' || b.phase === 'pending')) {
      b.phase = 'failed';
      b.exitCode = 143;
    }
  }

  async delete(name: string): Promise<void> {
    const b = this.builds.get(name);
    if (!b) return;
    this.calls.push(`delete ${name}`);
    if (this.slowDelete) b.facts.deleting = true;
    else this.builds.delete(name);
  }

  async list(): Promise<BuildInfo[]> {
    return [...this.builds].map(([name, b]) => ({
      name,
      prowJob: name,
      startedAt: '2026-01-01T00:00:00.000Z',
      phase: b.phase,
      buildId: b.buildId,
    }));
  }

  watch(name: string, onDone: (name: string) => void): void {
    let set = this.watchers.get(name);
    if (!set) this.watchers.set(name, (set = new Set()));
    set.add(onDone);
  }

  async readLog(name: string): Promise<string | undefined> {
    return this.builds.has(name) ? `log of ${name}\n` : undefined;
  }

  async close(): Promise<void> {
    this.watchers.clear();
  }
}
