// Hot reload behind a getter (Prow's config.Agent + `type Getter func() *Config`). Consumers take
// `getConfig: () => LoadedConfig` and call it each time, never keeping a snapshot, so a reload is
// picked up for free. The watcher polls stats (size, mtime, inode) of config.yaml, plugins.yaml and
// every file and directory under the job config path; on any change it reloads (re-parsing only
// changed files). A bad reload keeps the last good config and reports why.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigError } from './errors.js';
import { loadConfig, type ConfigPaths, type LoadedConfig } from './load.js';
import { ParseCache } from './parse-cache.js';

export interface WatchOptions {
  /** Called when a reload fails; the previous config stays in effect. */
  onError?: ((errors: ConfigError[]) => void) | undefined;
  /** Called after a successful reload with the new and the previous config. */
  onReload?: ((config: LoadedConfig, previous: LoadedConfig) => void) | undefined;
  /** Poll period; Prow polls every second. */
  intervalMs?: number | undefined;
}

/** The current config: call get() whenever you need config; do not keep the result. */
export type ConfigWatcher = Watched<LoadedConfig>;

/** The initial load failed: `errors` holds every problem found. */
export class ConfigLoadError extends Error {
  override readonly name = 'ConfigLoadError';
  readonly errors: ConfigError[];

  constructor(errors: ConfigError[]) {
    const shown = errors.slice(0, 20).map(String);
    const more = errors.length > shown.length ? `\n… and ${errors.length - shown.length} more` : '';
    const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
    super(`invalid config (${count}):\n${shown.join('\n')}${more}`);
    this.errors = errors;
  }
}

async function statSig(path: string): Promise<string> {
  try {
    const st = await stat(path, { bigint: true });
    return `${st.isDirectory() ? 'd' : 'f'}:${st.size}:${st.mtimeNs}:${st.ino}`;
  } catch {
    return 'missing';
  }
}

/** A string that changes whenever any file the config is read from is added, removed or changed. */
export async function fingerprint(paths: ConfigPaths): Promise<string> {
  const parts: string[] = [];
  for (const p of [paths.configPath, paths.pluginConfigPath]) {
    if (p) parts.push(`${p}=${await statSig(p)}`);
  }
  const root = paths.jobConfigPath;
  if (root) {
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        parts.push(`${dir}=unreadable`);
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const sigs = await Promise.all(
        entries.map(async (e) => {
          const full = join(dir, e.name);
          if (e.isDirectory()) {
            await walk(full);
            return `${full}/`;
          }
          return `${full}=${await statSig(full)}`;
        }),
      );
      parts.push(...sigs);
    };
    const rootSig = await statSig(root);
    parts.push(`${root}=${rootSig.startsWith('d:') ? 'dir' : rootSig}`);
    if (rootSig.startsWith('d:')) await walk(root);
  }
  return parts.join('\n');
}

/** A value read from files and kept current: call get() each time, never keep the result. */
export interface Watched<T> {
  get(): T;
  /** Stops polling. */
  close(): void;
}

export type Reload<T, E> = { ok: true; value: T } | { ok: false; errors: E };

export interface PollOptions<T, E> {
  /** The value loaded at start, and the fingerprint taken just before loading it. */
  initial: T;
  seen: string;
  /** Changes whenever any file the value is read from is added, removed or changed. */
  fingerprint(): Promise<string>;
  reload(): Reload<T, E>;
  /** Called when a reload fails; the previous value stays in effect. */
  onError?: ((errors: E) => void) | undefined;
  /** Called after a successful reload with the new and the previous value. */
  onReload?: ((value: T, previous: T) => void) | undefined;
  /** Poll period; Prow polls every second. */
  intervalMs?: number | undefined;
}

/**
 * The one file watcher (config, plugins, job config, hook's secrets): polls a fingerprint of the
 * files' stats and reloads on change; a bad reload keeps the last good value. Polling, not
 * fs.watch: it sees Kubernetes' ConfigMap/Secret symlink swaps and works on every filesystem.
 */
export function pollForChanges<T, E>(o: PollOptions<T, E>): Watched<T> {
  let current = o.initial;
  let lastSeen = o.seen;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const notify = <A extends unknown[]>(fn: ((...args: A) => void) | undefined, ...args: A) => {
    try {
      fn?.(...args);
    } catch {
      // A throwing callback must not stop the watcher.
    }
  };
  const tick = async () => {
    try {
      const seen = await o.fingerprint();
      if (closed || seen === lastSeen) return;
      lastSeen = seen;
      const r = o.reload();
      if (closed) return;
      if (r.ok) {
        const previous = current;
        current = r.value;
        notify(o.onReload, current, previous);
      } else {
        notify(o.onError, r.errors);
      }
    } finally {
      if (!closed) schedule();
    }
  };
  const schedule = () => {
    timer = setTimeout(() => void tick(), o.intervalMs ?? 1000);
    timer.unref();
  };
  schedule();
  return {
    get: () => current,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * `read(path)` now (its error is thrown), and again whenever the file changes; a reload that
 * throws keeps the last good value and is reported to onError.
 */
export async function watchFile<T>(
  path: string,
  read: (path: string) => T,
  options: Omit<PollOptions<T, unknown>, 'initial' | 'seen' | 'fingerprint' | 'reload'> = {},
): Promise<Watched<T>> {
  const fingerprint = () => statSig(path);
  const seen = await fingerprint();
  return pollForChanges({
    ...options,
    initial: read(path),
    seen,
    fingerprint,
    reload: () => {
      try {
        return { ok: true, value: read(path) };
      } catch (err) {
        return { ok: false, errors: err };
      }
    },
  });
}

/**
 * Loads the config and keeps it current. Rejects with ConfigLoadError if the first load fails.
 */
export async function watchConfig(
  paths: ConfigPaths,
  options: WatchOptions = {},
): Promise<ConfigWatcher> {
  const cache = new ParseCache();
  const seen = await fingerprint(paths);
  const first = loadConfig(paths, { cache });
  if (!first.ok) throw new ConfigLoadError(first.errors);
  return pollForChanges<LoadedConfig, ConfigError[]>({
    ...options,
    initial: first.config,
    seen,
    fingerprint: () => fingerprint(paths),
    reload() {
      const r = loadConfig(paths, { cache });
      if (!r.ok) return r;
      const { configPath = '', pluginConfigPath = '' } = paths;
      cache.retain(new Set([...r.config.files, configPath, pluginConfigPath]));
      return { ok: true, value: r.config };
    },
  });
}
