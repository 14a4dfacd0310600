// Runs tasks one at a time per key within this process (other keys run freely). The reporter
// serializes work on one ProwJob so a nudge arriving while the previous one is being handled
// waits and then finds the state already reported, instead of writing it a second time.
export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Keys with a task running or waiting (for tests and leak checks). */
  size(): number;
}

export function keyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => {});
      tails.set(key, tail);
      try {
        return await result;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    size: () => tails.size,
  };
}
