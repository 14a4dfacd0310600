// In-memory JobRunner for sinker tests: builds are plain records; deletes are recorded as
// readable strings. Test-only (nothing under src/ outside test/ imports it).
import type { ProwJob } from '@jetprow/schemas';
import type { BuildInfo, BuildStatus, JobRunner } from '@jetprow/runner';

export class FakeDeleteError extends Error {
  override readonly name = 'FakeDeleteError';
}

export class FakeRunner implements JobRunner {
  readonly builds = new Map<string, BuildInfo>();
  readonly deleted: string[] = [];
  /** Builds whose delete fails. */
  readonly failDeletes = new Set<string>();
  listError: Error | undefined;

  add(build: Partial<BuildInfo> & { name: string; startedAt: string }): void {
    this.builds.set(build.name, { prowJob: build.name, phase: 'succeeded', ...build });
  }

  names(): string[] {
    return [...this.builds.keys()].sort();
  }

  async start(pj: ProwJob): Promise<void> {
    const name = pj.metadata.name;
    if (!this.builds.has(name)) {
      this.add({ name, startedAt: new Date().toISOString(), phase: 'running' });
    }
  }

  async status(name: string): Promise<BuildStatus> {
    const b = this.builds.get(name);
    return b ? { phase: b.phase, startedAt: b.startedAt } : { phase: 'missing' };
  }

  async stop(): Promise<void> {}

  async delete(name: string): Promise<void> {
    if (this.failDeletes.has(name)) throw new FakeDeleteError(`delete build ${name}: refused`);
    this.builds.delete(name);
    this.deleted.push(name);
  }

  async list(): Promise<BuildInfo[]> {
    if (this.listError) throw this.listError;
    return [...this.builds.values()].map((b) => ({ ...b }));
  }

  watch(): void {}

  async close(): Promise<void> {}
}
