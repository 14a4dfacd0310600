// Every job of Kubernetes' own Prow config (fixtures/kubernetes-test-infra: privileged
// containers, volumes, resources, node selectors, tolerations; all decorated, as Kubernetes sets
// decorate_all_jobs) becomes a Pod, decorated with the config's default_decoration_config_entries,
// that the apiserver accepts: ObjectMeta rules and the Kubernetes Pod schema (from Kubernetes'
// OpenAPI).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig } from '@jetprow/config';
import {
  envForProwJob,
  newProwJob,
  periodicSpec,
  postsubmitSpec,
  presubmitSpec,
  prowJobName,
} from '@jetprow/core';
import type { ProwJob, Refs } from '@jetprow/schemas';
import { podProblems, repoRoot } from '@jetprow/testing';
import { prowJobToPod } from './pod-spec.js';

const config = join(repoRoot, 'fixtures/kubernetes-test-infra/config');
const refs = (orgRepo: string, pull: boolean): Refs => {
  const [org = '', repo = ''] = orgRepo.split('/');
  const base = { org, repo, base_ref: 'master', base_sha: 'a'.repeat(40) };
  return pull ? { ...base, pulls: [{ number: 1, author: 'someone', sha: 'b'.repeat(40) }] } : base;
};

describe("Pods for every job of Kubernetes' own Prow config", () => {
  it('are valid for the apiserver', { timeout: 120_000 }, async () => {
    const r = loadConfig({
      configPath: join(config, 'prow/config.yaml'),
      jobConfigPath: join(config, 'jobs'),
    });
    if (!r.ok) throw new Error(r.errors.slice(0, 3).map(String).join('\n'));
    const { jobs } = r.config;
    const now = new Date('2026-01-01T00:00:00Z');
    const all: ProwJob[] = [
      ...Object.entries(jobs.presubmits).flatMap(([repo, js]) =>
        js.map((j) =>
          newProwJob(presubmitSpec(j, refs(repo, true)), {
            name: prowJobName('g', j.name, 's'),
            now,
          }),
        ),
      ),
      ...Object.entries(jobs.postsubmits).flatMap(([repo, js]) =>
        js.map((j) =>
          newProwJob(postsubmitSpec(j, refs(repo, false)), {
            name: prowJobName('g', j.name, 's'),
            now,
          }),
        ),
      ),
      ...jobs.periodics.map((j) =>
        newProwJob(periodicSpec(j), { name: prowJobName('g', j.name, 's'), now }),
      ),
    ].filter((pj) => pj.spec.pod_spec);
    const problems: string[] = [];
    let decorated = 0;
    for (const pj of all) {
      const opts = { namespace: 'test-pods', plankVersion: 'jetprow' };
      const pod = prowJobToPod(pj, '1', envForProwJob(pj, '1'), opts);
      if (pj.spec.decoration_config) {
        // Decorated with the config's default_decoration_config_entries (utility images, GCS).
        decorated++;
        expect(pod.spec.containers.at(-1)!.name).toBe('sidecar');
        expect(pod.spec.initContainers!.map((c) => c.name)).toContain('place-entrypoint');
      }
      const found = await podProblems(pod as unknown as Record<string, unknown>);
      problems.push(...found.map((p) => `${pj.spec.job}: ${p}`));
    }
    expect(all.length).toBe(3849);
    expect(decorated).toBe(3849); // Kubernetes sets decorate_all_jobs
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
