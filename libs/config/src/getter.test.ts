import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigError } from './errors.js';
import { ConfigLoadError, watchConfig, type ConfigWatcher } from './getter.js';
import type { LoadedConfig } from './load.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

const periodic = (name: string, interval = '1h') =>
  `periodics:\n- name: ${name}\n  interval: ${interval}\n  spec: {containers: [{image: x}]}\n`;

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let tree: TempTree | undefined;
let watcher: ConfigWatcher | undefined;
afterEach(() => {
  watcher?.close();
  tree?.remove();
});

describe('watchConfig', () => {
  it('reloads on change, keeps the last good config on a bad change, and reports why', async () => {
    tree = tempTree({ 'config.yaml': 'pod_namespace: pods\n', 'jobs/a.yaml': periodic('first') });
    const reloads: LoadedConfig[] = [];
    const failures: ConfigError[][] = [];
    watcher = await watchConfig(
      { configPath: tree.path('config.yaml'), jobConfigPath: tree.path('jobs') },
      { intervalMs: 25, onReload: (c) => reloads.push(c), onError: (e) => failures.push(e) },
    );
    const names = () => watcher?.get().jobs.periodics.map((p) => p.name);
    expect(names()).toEqual(['first']);

    // A changed file is picked up.
    tree.write('jobs/a.yaml', periodic('second'));
    await waitFor(() => reloads.length === 1);
    expect(names()).toEqual(['second']);

    // So is a file added in a new subdirectory.
    tree.write('jobs/sub/b.yaml', periodic('third'));
    await waitFor(() => reloads.length === 2);
    expect(names()).toEqual(['second', 'third']);

    // A broken file: the last good config stays, onError names the file and line.
    tree.write('jobs/a.yaml', 'periodics:\n- name: [broken\n');
    await waitFor(() => failures.length === 1);
    expect(names()).toEqual(['second', 'third']);
    expect(failures[0]?.map(String)).toEqual([
      expect.stringMatching(new RegExp(`^${tree.path('jobs/a.yaml')}:\\d+:\\d+: invalid YAML`)),
    ]);

    // An invalid (but parseable) change is rejected the same way.
    tree.write('jobs/a.yaml', periodic('second', '1 hour'));
    await waitFor(() => failures.length === 2);
    expect(String(failures[1]?.[0])).toContain('field interval: cannot parse duration');
    expect(names()).toEqual(['second', 'third']);

    // Fixing it reloads; config.yaml changes count too.
    tree.write('jobs/a.yaml', periodic('fixed'));
    await waitFor(() => reloads.length === 3);
    expect(names()).toEqual(['fixed', 'third']);
    tree.write('config.yaml', 'pod_namespace: other\n');
    await waitFor(() => reloads.length === 4);
    expect(watcher.get().prow.pod_namespace).toBe('other');
    expect(watcher.get().jobs.periodics[0]?.namespace).toBe('other');

    // Removing a file is a change as well.
    rmSync(tree.path('jobs/sub/b.yaml'));
    await waitFor(() => reloads.length === 5);
    expect(names()).toEqual(['fixed']);
  });

  it('rejects when the initial load fails, with every error', async () => {
    tree = tempTree({
      'jobs/a.yaml': periodic('bad name'),
      'jobs/b.yaml': periodic('ok', 'never'),
    });
    const p = watchConfig({ jobConfigPath: tree.path('jobs') }, { intervalMs: 25 });
    await expect(p).rejects.toBeInstanceOf(ConfigLoadError);
    const err = (await p.catch((e: unknown) => e)) as ConfigLoadError;
    expect(err.errors).toHaveLength(2);
    expect(err.message).toContain('invalid config (2 errors)');
  });

  it('stops polling after close()', async () => {
    tree = tempTree({ 'jobs/a.yaml': periodic('first') });
    let reloads = 0;
    watcher = await watchConfig(
      { jobConfigPath: tree.path('jobs') },
      { intervalMs: 20, onReload: () => reloads++ },
    );
    watcher.close();
    tree.write('jobs/a.yaml', periodic('second'));
    await new Promise((r) => setTimeout(r, 150));
    expect(reloads).toBe(0);
    expect(watcher.get().jobs.periodics[0]?.name).toBe('first');
  });
});
