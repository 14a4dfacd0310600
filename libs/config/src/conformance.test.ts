// Conformance: the real Kubernetes Prow config (kubernetes/test-infra), which Prow's own
// checkconfig accepts, must load without errors and with exactly the counts in the fixture README.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkConfig } from './checkconfig.js';
import { loadConfig, type LoadedConfig } from './load.js';
import { readJobConfig } from './load-jobs.js';
import { triggerMatches, runsAgainstBranch } from './matchers.js';
import { ParseCache } from './parse-cache.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = resolve(repoRoot, 'fixtures/kubernetes-test-infra');
const paths = {
  configPath: resolve(fixture, 'config/prow/config.yaml'),
  jobConfigPath: resolve(fixture, 'config/jobs'),
  pluginConfigPath: resolve(fixture, 'config/prow/plugins.yaml'),
};

describe('kubernetes/test-infra config (conformance)', () => {
  const cache = new ParseCache();
  let config: LoadedConfig;
  let loadMs = 0;

  beforeAll(() => {
    const start = performance.now();
    const r = loadConfig(paths, { cache });
    loadMs = performance.now() - start;
    console.log(`kubernetes/test-infra config loaded in ${Math.round(loadMs)} ms`);
    if (!r.ok) throw new Error(`${r.errors.length} errors:\n${r.errors.slice(0, 50).join('\n')}`);
    config = r.config;
  }, 120_000);

  it('loads 601 job config files and ignores 1 through .prowignore', () => {
    expect(config.files).toHaveLength(601);
    expect(config.ignoredFiles).toEqual([
      resolve(paths.jobConfigPath, 'kubernetes/sig-cloud-provider/gcp/registry/default.yaml'),
    ]);
  });

  it('has exactly the README job counts', () => {
    const count = (m: Record<string, unknown[]>) =>
      Object.values(m).reduce((n, l) => n + l.length, 0);
    expect(count(config.jobs.presubmits)).toBe(2261);
    expect(count(config.jobs.postsubmits)).toBe(253);
    expect(config.jobs.periodics).toHaveLength(1335);
    expect(
      new Set([...Object.keys(config.jobs.presubmits), ...Object.keys(config.jobs.postsubmits)])
        .size,
    ).toBe(185);
  });

  it('has presets in 19 job config files', () => {
    const r = readJobConfig(paths.jobConfigPath, cache);
    expect(new Set(r.config.presets.map((p) => p.file)).size).toBe(19);
  });

  it('applies config.yaml settings and defaults', () => {
    const { prow } = config;
    expect(prow.pod_namespace).toBe('test-pods');
    expect(prow.plank.pod_pending_timeout).toBe('15m');
    expect(prow.plank.pod_pending_timeout_ms).toBe(15 * 60_000);
    expect(prow.plank.pod_running_timeout).toBe('48h');
    expect(prow.plank.job_url_template).toContain(
      'https://prow.k8s.io/view/gs/kubernetes-ci-logs/',
    );
    expect(prow.plank.report_templates['*']).toContain('Full PR test history');
    expect(prow.plank.job_queue_capacities['5k-gce-scale-test']).toBe(4);
    expect(prow.plank.default_decoration_config_entries).toHaveLength(4);
    expect(prow.sinker).toMatchObject({
      resync_period: '1m',
      max_prowjob_age: '48h',
      max_pod_age: '48h',
      terminated_pod_ttl: '30m',
      terminated_pod_ttl_ms: 30 * 60_000,
    });
    expect(prow.horologium.tick_interval).toBe('1m');
  });

  it('defaults, decorates and applies presets to every job', () => {
    const all = [
      ...Object.values(config.jobs.presubmits).flat(),
      ...Object.values(config.jobs.postsubmits).flat(),
      ...config.jobs.periodics,
    ];
    for (const job of all) {
      expect(job.namespace).toBe('test-pods');
      expect(job.source_path.startsWith(paths.jobConfigPath)).toBe(true);
      if (job.decorate)
        expect(job.decoration_config?.utility_images?.clonerefs).toMatch(/clonerefs:v/);
      // The label-less GOPROXY preset in config.yaml reaches every container.
      for (const c of job.spec?.containers ?? [])
        expect(c.env?.some((e) => e.name === 'GOPROXY')).toBe(true);
    }
  });

  it('matches real jobs by trigger and branch', () => {
    const jobs = (config.jobs.presubmits['kubernetes/kubernetes'] ?? []).filter(
      (j) => j.name === 'pull-kubernetes-verify',
    );
    // One variant per release branch plus the master one; their branches do not intersect.
    expect(jobs.length).toBeGreaterThan(1);
    expect(jobs.filter((j) => runsAgainstBranch(j, 'master'))).toHaveLength(1);
    expect(jobs.filter((j) => runsAgainstBranch(j, 'release-1.34'))).toHaveLength(1);
    for (const j of jobs) {
      expect(triggerMatches(j, '/test pull-kubernetes-verify')).toBe(true);
      expect(triggerMatches(j, '/test pull-kubernetes-verify-govet-levee')).toBe(false);
    }
  });

  it('checkconfig passes with the summary', () => {
    const r = checkConfig(paths, { cache });
    expect(r).toMatchObject({
      ok: true,
      errors: [],
      summary: '2261 presubmits, 253 postsubmits, 1335 periodics',
    });
  });

  // Kubernetes runs Prow's checkconfig (image v20260821-a61940897, this Prow) as the presubmit
  // pull-test-infra-prow-checkconfig and the heartbeat periodic ci-test-infra-prow-checkconfig
  // (config/jobs/kubernetes/test-infra/), with these flags; it passes: no warning.
  it("checkconfig --strict with Kubernetes' own warning flags passes with no warning, as Prow's does", () => {
    const warnings = [
      'mismatched-tide-lenient',
      'tide-strict-branch',
      'needs-ok-to-test',
      'validate-owners',
      'missing-trigger',
      'validate-urls',
      'unknown-fields',
      'duplicate-job-refs',
      'unknown-fields-all',
      'non-decorated-jobs',
      'valid-decoration-config',
    ];
    const r = checkConfig(paths, { cache, warnings, strict: true });
    expect(r).toMatchObject({ ok: true, errors: [], warnings: [], deprecations: [] });
  }, 60_000);

  it('checkconfig --strict with the default warnings: the findings Prow reports', () => {
    const r = checkConfig(paths, { cache, strict: true });
    expect(r.ok).toBe(false);
    const byWarning: Record<string, number> = {};
    for (const f of r.findings) byWarning[f.warning ?? ''] = (byWarning[f.warning ?? ''] ?? 0) + 1;
    expect(byWarning).toEqual({
      // The strict tide/plugin check (Kubernetes runs the lenient one).
      'mismatched-tide': 3,
      // Job names over 63 characters (Kubernetes does not enable this check).
      'long-job-names': 320,
      // Periodics with a top-level path_alias/clone_uri/clone_depth.
      'periodic-default-clone-config': 20,
    });
    expect(r.warnings.filter((w) => w.includes('release-note plugin'))).toHaveLength(1);
  }, 60_000);

  it('reloads from the parse cache much faster than the first load', () => {
    const start = performance.now();
    const r = loadConfig(paths, { cache });
    const ms = performance.now() - start;
    console.log(`cached reload in ${Math.round(ms)} ms (first load ${Math.round(loadMs)} ms)`);
    expect(r.ok).toBe(true);
  });
});
