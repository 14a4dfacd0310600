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

export interface ConfigWatcher {
  /** The current config. Call it whenever you need config; do not keep the result. */
  get(): LoadedConfig;
  /** Stops polling. */
  close(): void;
}

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

/**
 * Loads the config and keeps it current. Rejects with ConfigLoadError if the first load fails.
 */
export async function watchConfig(
  paths: ConfigPaths,
  options: WatchOptions = {},
): Promise<ConfigWatcher> {
  const intervalMs = options.intervalMs ?? 1000;
  const cache = new ParseCache();
  let lastSeen = await fingerprint(paths);
  const first = loadConfig(paths, { cache });
  if (!first.ok) throw new ConfigLoadError(first.errors);
  let current = first.config;
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
      const seen = await fingerprint(paths);
      if (closed || seen === lastSeen) return;
      lastSeen = seen;
      const r = loadConfig(paths, { cache });
      if (closed) return;
      if (r.ok) {
        const { configPath = '', pluginConfigPath = '' } = paths;
        cache.retain(new Set([...r.config.files, configPath, pluginConfigPath]));
        const previous = current;
        current = r.config;
        notify(options.onReload, current, previous);
      } else {
        notify(options.onError, r.errors);
      }
    } finally {
      if (!closed) schedule();
    }
  };
  const schedule = () => {
    timer = setTimeout(() => void tick(), intervalMs);
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
