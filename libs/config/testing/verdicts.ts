// Test-only: Prow's verdicts as data. Each case is an input (config.yaml, a job config file,
// plugins.yaml) and what Prow does with it (accept, or reject with its message), taken from a
// named Prow unit test; `runVerdict` loads the input through jetprow's loader or checkconfig and
// asserts the same verdict.
import { expect } from 'vitest';
import { checkConfig, type CheckOptions } from '../src/checkconfig.js';
import { loadConfig, type LoadedConfig } from '../src/load.js';
import { tempTree } from './test-support.js';

/** The instant managed_webhooks dates are compared with in these cases. */
export const NOW = new Date('2026-06-01T00:00:00Z');

export interface Verdict {
  /** The Prow test (and its case) the input and verdict come from. */
  prow: string;
  config?: string;
  jobs?: string;
  plugins?: string;
  /** Prow rejects the config: each string is part of the error (Prow's message). */
  rejects?: string[];
  /** Prow accepts the config; then these hold (Prow's defaults). */
  then?: (c: LoadedConfig) => void;
}

function paths(v: { config?: string; jobs?: string; plugins?: string }) {
  const tree = tempTree({
    'config.yaml': v.config ?? '',
    ...(v.jobs !== undefined && { 'jobs/jobs.yaml': v.jobs }),
    ...(v.plugins !== undefined && { 'plugins.yaml': v.plugins }),
  });
  return {
    tree,
    paths: {
      configPath: tree.path('config.yaml'),
      jobConfigPath: v.jobs !== undefined ? tree.path('jobs') : undefined,
      pluginConfigPath: v.plugins !== undefined ? tree.path('plugins.yaml') : undefined,
    },
  };
}

/** Loads the case as checkconfig does (unknown plugins refused) and checks Prow's verdict. */
export function runVerdict(v: Verdict): void {
  const { tree, paths: p } = paths(v);
  try {
    const r = loadConfig(p, { now: NOW, checkUnknownPlugins: true });
    if (v.rejects) {
      expect(r.ok, 'Prow rejects this config').toBe(false);
      const text = r.ok ? '' : r.errors.map(String).join('\n');
      for (const s of v.rejects) expect(text).toContain(s);
      return;
    }
    if (!r.ok) expect.fail(`Prow accepts this config; jetprow said:\n${r.errors.join('\n')}`);
    v.then?.(r.config);
  } finally {
    tree.remove();
  }
}

export interface WarningVerdict {
  prow: string;
  config?: string;
  jobs?: string;
  plugins?: string;
  options: CheckOptions;
  /** What Prow's checkconfig warns: each string is part of one warning; [] = no warning. */
  warns: string[];
}

/** Runs checkconfig's warning checks on the case and compares the findings with Prow's. */
export function runWarningVerdict(v: WarningVerdict): string[] {
  const { tree, paths: p } = paths(v);
  try {
    const r = checkConfig(p, { now: NOW, ...v.options });
    if (r.summary === undefined) expect.fail(`the config does not load:\n${r.errors.join('\n')}`);
    const found = r.findings.map((f) => String(f.error));
    if (v.warns.length === 0) expect(found).toEqual([]);
    else {
      expect(found).toHaveLength(v.warns.length);
      v.warns.forEach((w, i) => expect(found[i]).toContain(w));
    }
    return found;
  } finally {
    tree.remove();
  }
}
