// JobRunner.watch's listeners, shared by both runners' watchers: per build name, a set (the same
// function added twice counts once), told once and then forgotten when the build ends; a listener
// that throws is reported and does not keep the others from being told.
type Listener = (name: string) => void;

export class Listeners {
  private readonly byName = new Map<string, Set<Listener>>();

  get size(): number {
    return this.byName.size;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  add(name: string, fn: Listener): void {
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(fn);
  }

  /** Forgets the build's listeners, then calls each; `onError` gets what one throws. */
  notify(name: string, onError: (name: string, err: unknown) => void): void {
    const set = this.byName.get(name);
    if (!set) return;
    this.byName.delete(name);
    for (const fn of set) {
      try {
        fn(name);
      } catch (err) {
        onError(name, err);
      }
    }
  }

  clear(): void {
    this.byName.clear();
  }
}
