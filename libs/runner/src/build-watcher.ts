// The watch() half of the local runner: listeners per build name, told once when the build ends.
// Builds this process spawned report through the child's exit event (`notify`); every other
// watched build is polled through `isDone` by one unref'd interval, so an idle watcher never keeps
// the process alive, and close() clears it.
import { Listeners } from './listeners.js';

export interface BuildWatcherOptions {
  pollMs: number;
  /**
   * True when the build has ended (or is gone): its listeners are then called. A build that
   * reports its end through `notify` may answer false without looking.
   */
  isDone(name: string): Promise<boolean>;
  onError(name: string, err: unknown): void;
}

export class BuildWatcher {
  private readonly opts: BuildWatcherOptions;
  private readonly listeners = new Listeners();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;

  constructor(opts: BuildWatcherOptions) {
    this.opts = opts;
  }

  /**
   * Adds a listener (the same function twice counts once); a build not yet watched is checked
   * right away (one already watched is polled, or reports its exit, anyway).
   */
  add(name: string, onDone: (name: string) => void): void {
    if (this.closed) return;
    const watched = this.listeners.has(name);
    this.listeners.add(name, onDone);
    this.ensureTimer();
    if (!watched) void this.check(name);
  }

  /** The build ended: calls and forgets its listeners. */
  notify(name: string): void {
    this.listeners.notify(name, this.opts.onError);
    if (this.listeners.size === 0) this.stopTimer();
  }

  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.stopTimer();
  }

  private async check(name: string): Promise<void> {
    try {
      if (await this.opts.isDone(name)) this.notify(name);
    } catch (err) {
      this.opts.onError(name, err);
    }
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return; // a slow pass (many builds, slow disk) is not overlapped
    this.polling = true;
    try {
      for (const name of this.listeners.names()) await this.check(name);
    } finally {
      this.polling = false;
    }
  }
}
