// ProwJobs jetprow writes must be valid custom resources for Prow's own CRD (prow.k8s.io/v1):
// built from Kubernetes' real job config, through every state plank and reporter write.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv, type ValidateFunction } from 'ajv';
import { loadConfig, type LoadedConfig } from '@jetprow/config';
import {
  newProwJob,
  periodicSpec,
  postsubmitSpec,
  presubmitSpec,
  prowJobName,
} from '@jetprow/core';
import { decoder, ProwJob } from '@jetprow/schemas';
import { repoRoot } from '@jetprow/testing';

const fixtures = join(repoRoot, 'fixtures');
type Schema = Record<string, unknown>;

/** The API server prunes fields a structural schema does not declare; make that an error here. */
function closeObjects(s: Schema): Schema {
  if (
    s.type === 'object' &&
    s.properties &&
    s['x-kubernetes-preserve-unknown-fields'] !== true &&
    s.additionalProperties === undefined
  ) {
    s.additionalProperties = false;
  }
  for (const v of Object.values(s)) {
    if (v && typeof v === 'object') {
      if (Array.isArray(v))
        v.forEach((x) => x && typeof x === 'object' && closeObjects(x as Schema));
      else closeObjects(v as Schema);
    }
  }
  return s;
}

let validate: ValidateFunction;
let cfg: LoadedConfig;
const decodeOurs = decoder('ProwJob', ProwJob);

beforeAll(() => {
  const crd = parse(
    readFileSync(join(fixtures, 'prow/prowjob_customresourcedefinition.yaml'), 'utf8'),
  );
  const version = crd.spec.versions.find((v: { name: string }) => v.name === 'v1');
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  validate = ajv.compile(closeObjects(version.schema.openAPIV3Schema));
  const k8s = join(fixtures, 'kubernetes-test-infra/config');
  const r = loadConfig({
    configPath: join(k8s, 'prow/config.yaml'),
    jobConfigPath: join(k8s, 'jobs'),
  });
  if (!r.ok) throw new Error(r.errors.slice(0, 5).map(String).join('\n'));
  cfg = r.config;
}, 60_000);

function expectValid(pj: unknown): void {
  const ok = validate(pj);
  expect(
    ok
      ? []
      : validate
          .errors!.slice(0, 5)
          .map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`),
  ).toEqual([]);
  expect(() => decodeOurs.decode(pj)).not.toThrow();
}

const refs = (org: string, repo: string) => ({
  org,
  repo,
  repo_link: `https://github.com/${org}/${repo}`,
  base_ref: 'master',
  base_sha: '064678510782db5b382df478bb374aaa32e577ea',
  pulls: [
    {
      number: 2716,
      author: 'ixdy',
      sha: 'dc32ccc9ea3672ccc523b7cbaa8b00360b4183cd',
      title: 'x',
      head_ref: 'b',
      link: 'l',
      commit_link: 'c',
      author_link: 'a',
    },
  ],
});
const now = new Date('2026-11-29T00:00:00Z');

describe("ProwJobs against Prow's CRD schema", () => {
  it('presubmits, postsubmits and periodics from the Kubernetes config', () => {
    let n = 0;
    for (const [orgRepo, jobs] of Object.entries(cfg.jobs.presubmits).slice(0, 40)) {
      const [org, repo] = orgRepo.split('/') as [string, string];
      for (const job of jobs.slice(0, 3)) {
        expectValid(
          newProwJob(presubmitSpec(job, refs(org, repo)), {
            name: prowJobName('g', job.name, 'sha'),
            now,
            labels: { 'event-GUID': 'g', 'prow.k8s.io/is-optional': String(!!job.optional) },
          }),
        );
        n++;
      }
    }
    for (const [orgRepo, jobs] of Object.entries(cfg.jobs.postsubmits).slice(0, 20)) {
      const [org, repo] = orgRepo.split('/') as [string, string];
      const { pulls: _p, ...base } = refs(org, repo);
      for (const job of jobs.slice(0, 3)) {
        expectValid(
          newProwJob(postsubmitSpec(job, base), { name: prowJobName('g', job.name, 'sha'), now }),
        );
        n++;
      }
    }
    for (const job of cfg.jobs.periodics.slice(0, 60)) {
      expectValid(newProwJob(periodicSpec(job), { name: prowJobName('g', job.name, 'sha'), now }));
      n++;
    }
    expect(n).toBeGreaterThan(150);
  });

  it('every status plank and reporter write', () => {
    const job = Object.values(cfg.jobs.presubmits)[0]![0]!;
    const pj = newProwJob(presubmitSpec(job, refs('kubernetes', 'kubernetes')), { name: 'n', now });
    expectValid(pj);
    pj.status = {
      ...pj.status,
      state: 'pending',
      pendingTime: now.toISOString(),
      pod_name: 'n',
      build_id: '2126865491740856320',
      description: 'Job triggered.',
      url: 'http://localhost:8083/view/n',
    };
    expectValid(pj);
    pj.status = {
      ...pj.status,
      state: 'failure',
      completionTime: now.toISOString(),
      description: 'Job failed.',
      prev_report_states: { 'github-reporter': 'failure' },
      pod_revival_count: 1,
    };
    expectValid(pj);
  });
});
