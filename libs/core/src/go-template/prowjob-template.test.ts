// Prow's templates over a ProwJob (`tmpl.Execute(&b, &pj)`): Go field names mapped to the JSON
// ProwJob, Go's struct/pointer/map rules, and Kubernetes' real plank.job_url_template and
// report_templates rendering the URLs and text Prow renders.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@jetprow/testing';
import type { ProwJob, Refs } from '@jetprow/schemas';
import { newProwJob, periodicSpec, postsubmitSpec, presubmitSpec } from '../new-prowjob.js';
import { compileGoTemplate, prowJobData as prowJobDataOf, renderForProwJob } from './index.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const SHA = 'a'.repeat(40);

function presubmit(
  org: string,
  repo: string,
  number: number,
  job: string,
  buildId: string,
): ProwJob {
  const refs: Refs = {
    org,
    repo,
    base_ref: 'main',
    base_sha: 'b'.repeat(40),
    pulls: [{ number, author: 'alice', sha: SHA }],
  };
  const pj = newProwJob(presubmitSpec({ name: job }, refs), { name: `pj-${job}`, now: NOW });
  pj.status.build_id = buildId;
  return pj;
}

function postsubmit(org: string, repo: string, job: string, buildId: string): ProwJob {
  const refs: Refs = { org, repo, base_ref: 'main', base_sha: SHA };
  const pj = newProwJob(postsubmitSpec({ name: job }, refs), { name: `pj-${job}`, now: NOW });
  pj.status.build_id = buildId;
  return pj;
}

function periodic(job: string, buildId: string): ProwJob {
  const extra: Refs[] = [{ org: 'kubernetes', repo: 'kubernetes', base_ref: 'master' }];
  const pj = newProwJob(periodicSpec({ name: job, extra_refs: extra }), {
    name: `pj-${job}`,
    now: NOW,
  });
  pj.status.build_id = buildId;
  return pj;
}

function batch(org: string, repo: string, job: string, buildId: string): ProwJob {
  const pj = presubmit(org, repo, 1, job, buildId);
  pj.spec.type = 'batch';
  pj.spec.refs!.pulls = [
    { number: 1, author: 'alice', sha: SHA },
    { number: 2, author: 'bob', sha: 'c'.repeat(40) },
  ];
  return pj;
}

const render = (src: string, pj: ProwJob): string => renderForProwJob(src, pj, 't');

describe('ProwJob fields as Go sees them (pkg/apis/prowjobs/v1/types.go)', () => {
  const pj = presubmit('o', 'r', 7, 'unit', '42');
  pj.metadata.labels = { ...pj.metadata.labels, team: 'infra' };
  pj.status.completionTime = '2026-01-02T03:10:00Z';
  const cases: { name: string; src: string; want: string; job?: ProwJob }[] = [
    {
      name: 'Go field names map to the json tags',
      src: '{{.Spec.Type}} {{.Spec.Job}} {{.Spec.Refs.Org}}/{{.Spec.Refs.Repo}} {{.Status.BuildID}} {{.Spec.RerunCommand}}',
      want: 'presubmit unit o/r 42 /test unit',
    },
    {
      name: 'ObjectMeta is embedded: .Name and .ObjectMeta.Name',
      src: '{{.Name}} {{.ObjectMeta.Name}} {{.Namespace}} {{.Kind}} {{.APIVersion}}',
      want: 'pj-unit pj-unit default ProwJob prow.k8s.io/v1',
    },
    {
      name: 'a field absent from the JSON is its zero value',
      src: '[{{.Status.URL}}] {{.Spec.MaxConcurrency}} {{.Spec.Hidden}} {{.Status.PodRevivalCount}}',
      want: '[] 0 false 0',
    },
    {
      name: 'a nil pointer prints <nil> and is false',
      src: '{{.Spec.DecorationConfig}} {{if .Spec.ReporterConfig}}t{{else}}f{{end}}',
      want: '<nil> f',
    },
    { name: 'a set pointer is true', src: '{{if .Spec.Refs}}has refs{{end}}', want: 'has refs' },
    {
      name: 'a slice of structs is indexed and its fields read',
      src: '{{with index .Spec.Refs.Pulls 0}}{{.Number}} {{.Author}} {{.SHA}}{{end}}',
      want: `7 alice ${SHA}`,
    },
    {
      name: 'a missing map key is <no value> as a field, "" with index',
      src: '{{.ObjectMeta.Labels.team}} {{.Labels.nope}} [{{index .Labels "nope"}}]',
      want: 'infra <no value> []',
    },
    {
      name: 'labels Prow sets are readable with index',
      src: '{{index .Labels "prow.k8s.io/type"}}',
      want: 'presubmit',
    },
    {
      name: 'methods: Complete, ClusterAlias, Refs.String, OrgRepoString',
      src: '{{.Complete}} {{.ClusterAlias}} {{.Spec.Refs.String}} {{.Spec.Refs.OrgRepoString}}',
      want: `true default main:${'b'.repeat(40)},7:${SHA} o/r`,
    },
    {
      name: 'a *Refs prints with its String method',
      src: '{{.Spec.Refs}}',
      want: `main:${'b'.repeat(40)},7:${SHA}`,
    },
    {
      name: 'times print as Go time.Time',
      src: '{{.Status.StartTime}} | {{.Status.CompletionTime}} | {{.Status.PendingTime}}',
      want: '2026-01-02 03:04:05 +0000 UTC | 2026-01-02 03:10:00 +0000 UTC | <nil>',
    },
    {
      name: 'named string types compare with eq',
      src: '{{if eq .Spec.Type "presubmit"}}pr{{end}} {{eq .Status.State "triggered"}}',
      want: 'pr true',
    },
    {
      name: 'named string types print with printf %s',
      src: '{{printf "%s/%v" .Spec.Type .Spec.Agent}}',
      want: 'presubmit/kubernetes',
    },
    {
      name: 'a struct prints its fields in Go order',
      src: '{{index .Spec.Refs.Pulls 0}}',
      want: `{7 alice ${SHA}      }`,
    },
    {
      name: 'decoration config: pointers to structs, Duration prints as Go',
      src: '{{.Spec.DecorationConfig.GCSConfiguration.Bucket}} {{.Spec.DecorationConfig.Timeout}} {{.Spec.DecorationConfig.UtilityImages.CloneRefs}}',
      job: {
        ...pj,
        spec: {
          ...pj.spec,
          decoration_config: {
            timeout: '2h',
            utility_images: { clonerefs: 'img' },
            gcs_configuration: { bucket: 'logs' },
          },
        },
      },
      want: 'logs 2h0m0s img',
    },
    {
      name: 'ranging over pulls',
      src: '{{range .Spec.Refs.Pulls}}#{{.Number}}{{end}}',
      job: batch('o', 'r', 'j', '1'),
      want: '#1#2',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(render(tc.src, tc.job ?? pj)).toBe(tc.want));
  }

  const errors: { name: string; src: string; error: string; job?: ProwJob }[] = [
    {
      name: 'a field the struct does not have is an error',
      src: '{{.Spec.Foo}}',
      error:
        'template: t:1:7: executing "t" at <.Spec.Foo>: can\'t evaluate field Foo in type v1.ProwJobSpec',
    },
    {
      name: 'fields of a nil pointer are an error',
      src: '{{.Spec.Refs.Org}}',
      job: periodic('p', '1'),
      error:
        'template: t:1:7: executing "t" at <.Spec.Refs.Org>: nil pointer evaluating *v1.Refs.Org',
    },
    {
      name: 'a field of a string is an error',
      src: '{{.Spec.Job.Foo}}',
      error: "can't evaluate field Foo in type string",
    },
    {
      name: 'json names are not Go names',
      src: '{{.spec}}',
      error: "can't evaluate field spec in type *v1.ProwJob",
    },
    {
      name: 'a named string type is not a string format',
      src: '{{printf .Spec.Type}}',
      error: 'wrong type for value; expected string; got v1.ProwJobType',
    },
    {
      name: 'index past the pulls fails as reflect does',
      src: '{{index .Spec.Refs.Pulls 3}}',
      error: 'error calling index: index out of range: 3',
    },
  ];
  for (const tc of errors) {
    it(tc.name, () => expect(() => render(tc.src, tc.job ?? pj)).toThrow(tc.error));
  }
});

describe("Kubernetes' config/prow/config.yaml templates render as Prow renders them", () => {
  const file = join(repoRoot, 'fixtures/kubernetes-test-infra/config/prow/config.yaml');
  const plank = (
    parse(readFileSync(file, 'utf8')) as {
      plank: { job_url_template: string; report_templates: Record<string, string> };
    }
  ).plank;
  const jobUrl = compileGoTemplate(plank.job_url_template, 'JobURL');
  const VIEW = 'https://prow.k8s.io/view/gs/kubernetes-ci-logs';

  const urls: { name: string; job: ProwJob; want: string }[] = [
    {
      name: 'presubmit on kubernetes/kubernetes: pr-logs/pull/<pr>/<job>/<build>/',
      job: presubmit(
        'kubernetes',
        'kubernetes',
        12345,
        'pull-kubernetes-unit',
        '1800000000000000001',
      ),
      want: `${VIEW}/pr-logs/pull/12345/pull-kubernetes-unit/1800000000000000001/`,
    },
    {
      name: 'presubmit on kubernetes-sigs: the org becomes sigs.k8s.io_<repo>',
      job: presubmit(
        'kubernetes-sigs',
        'cluster-api',
        42,
        'pull-cluster-api-test-main',
        '1800000000000000002',
      ),
      want: `${VIEW}/pr-logs/pull/sigs.k8s.io_cluster-api/42/pull-cluster-api-test-main/1800000000000000002/`,
    },
    {
      name: 'presubmit on another org: <org>_<repo>',
      job: presubmit('containerd', 'containerd', 9, 'pull-containerd-build', '1800000000000000003'),
      want: `${VIEW}/pr-logs/pull/containerd_containerd/9/pull-containerd-build/1800000000000000003/`,
    },
    {
      name: 'postsubmit on kubernetes/test-infra: logs/<repo>/<job>/<build>/',
      job: postsubmit(
        'kubernetes',
        'test-infra',
        'post-test-infra-test-all',
        '1800000000000000004',
      ),
      want: `${VIEW}/logs/test-infra/post-test-infra-test-all/1800000000000000004/`,
    },
    {
      name: 'postsubmit on kubernetes/kubernetes: logs/<job>/<build>/',
      job: postsubmit('kubernetes', 'kubernetes', 'ci-kubernetes-build', '1800000000000000005'),
      want: `${VIEW}/logs/ci-kubernetes-build/1800000000000000005/`,
    },
    {
      name: 'periodic (no refs, only extra_refs): logs/<job>/<build>/',
      job: periodic('ci-kubernetes-unit', '1800000000000000006'),
      want: `${VIEW}/logs/ci-kubernetes-unit/1800000000000000006/`,
    },
    {
      name: 'batch: pr-logs/pull/<org_repo>/batch/<job>/<build>/',
      job: batch('kubernetes-sigs', 'kind', 'pull-kind-build', '1800000000000000007'),
      want: `${VIEW}/pr-logs/pull/sigs.k8s.io_kind/batch/pull-kind-build/1800000000000000007/`,
    },
  ];
  for (const tc of urls) {
    it(`job_url_template: ${tc.name}`, () =>
      expect(jobUrl.execute(prowJobDataOf(tc.job))).toBe(tc.want));
  }

  it("report_templates['*'] renders the PR history and dashboard links", () => {
    const report = plank.report_templates['*']!;
    const out = renderForProwJob(
      report,
      presubmit('kubernetes-sigs', 'cluster-api', 42, 'pull-cluster-api-test-main', '1'),
      'Report',
    );
    expect(out).toBe(
      '[Full PR test history](https://prow.k8s.io/pr-history?org=kubernetes-sigs&repo=cluster-api&pr=42). ' +
        '[Your PR dashboard](https://prow.k8s.io/pr?query=is%3Apr%20state%3Aopen%20author%3Aalice). ' +
        'Please help us cut down on flakes by [linking to](https://git.k8s.io/community/contributors/devel/sig-testing/flaky-tests.md#filing-issues-for-flaky-tests) ' +
        'an [open issue](https://github.com/kubernetes-sigs/cluster-api/issues?q=is:issue+is:open) when you hit one in your PR.',
    );
  });

  it('renderForProwJob gives the same URL as the compiled template', () => {
    const job = presubmit('kubernetes', 'kubernetes', 1, 'pull-kubernetes-unit', '5');
    expect(renderForProwJob(plank.job_url_template, job)).toBe(
      `${VIEW}/pr-logs/pull/1/pull-kubernetes-unit/5/`,
    );
  });
});
