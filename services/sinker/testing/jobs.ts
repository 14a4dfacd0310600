// ProwJob and build fixtures on an injected clock: ages are given as "how long before now".
import { parseProwConfig } from '@jetprow/config';
import type { ProwJob, ProwJobState, ProwJobType } from '@jetprow/schemas';
import type { BuildInfo } from '@jetprow/runner';
import type { SinkerConfigView } from '../src/settings.js';

export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;

/** The injected "now" of the rule tables. */
export const NOW = Date.parse('2024-05-01T12:00:00Z');
/** An ISO time `ms` before `now`; NaN gives an unparseable time. */
export const ago = (ms: number, now = NOW): string =>
  Number.isNaN(ms) ? 'not-a-time' : new Date(now - ms).toISOString();

/** The config sinker reads, with config.yaml's `sinker:` as given, through the real parser. */
export function sinkerConfig(
  sinker: Record<string, unknown>,
  periodics: string[] = ['ci-periodic'],
): SinkerConfigView {
  const { config, errors } = parseProwConfig({ sinker }, 'config.yaml');
  if (errors.length > 0) throw new Error(errors.map(String).join('\n'));
  return { prow: config, jobs: { periodics: periodics.map((name) => ({ name })) } };
}

/** Prow's own sinker test values (cmd/sinker/main_test.go); ci-periodic is in the job config. */
export const config = sinkerConfig({
  resync_period: '1h',
  max_prowjob_age: '48h',
  max_pod_age: '12h',
  terminated_pod_ttl: '30m',
});

/** `config` with another resync period. */
export const withResyncPeriod = (ms: number): SinkerConfigView => ({
  ...config,
  prow: { sinker: { ...config.prow.sinker, resync_period_ms: ms } },
});

export interface JobSeed {
  name: string;
  type?: ProwJobType;
  job?: string;
  startedAgo: number;
  /** Omitted: the job is still running. */
  completedAgo?: number;
}

/** A periodic of `job` (default ci-periodic, which is in config); running without completedAgo. */
export const periodic = (
  name: string,
  startedAgo: number,
  completedAgo?: number,
  job = 'ci-periodic',
): JobSeed => ({ name, type: 'periodic', job, startedAgo, completedAgo });

export function prowJob(seed: JobSeed, now = NOW): ProwJob {
  const done = seed.completedAgo !== undefined;
  const state: ProwJobState = done ? 'success' : 'pending';
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: { name: seed.name, labels: { 'prow.k8s.io/id': seed.name } },
    spec: { type: seed.type ?? 'presubmit', job: seed.job ?? 'ci-unit' },
    status: {
      startTime: ago(seed.startedAgo, now),
      state,
      ...(done ? { completionTime: ago(seed.completedAgo ?? 0, now) } : {}),
    },
  };
}

export interface BuildSeed {
  name: string;
  /** The ProwJob it belongs to; defaults to the build's name. */
  prowJob?: string;
  startedAgo: number;
}

export function build(seed: BuildSeed, now = NOW): BuildInfo & { name: string; startedAt: string } {
  return {
    name: seed.name,
    prowJob: seed.prowJob ?? seed.name,
    startedAt: ago(seed.startedAgo, now),
    phase: 'succeeded',
  };
}
