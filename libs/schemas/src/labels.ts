// Prow's label and annotation keys (kubernetes-sigs/prow:pkg/kube/prowjob.go).
export const Labels = {
  createdByProw: 'created-by-prow',
  type: 'prow.k8s.io/type',
  job: 'prow.k8s.io/job',
  context: 'prow.k8s.io/context',
  org: 'prow.k8s.io/refs.org',
  repo: 'prow.k8s.io/refs.repo',
  baseRef: 'prow.k8s.io/refs.base_ref',
  pull: 'prow.k8s.io/refs.pull',
  eventGUID: 'event-GUID',
  isOptional: 'prow.k8s.io/is-optional',
  retest: 'prow.k8s.io/retest',
  id: 'prow.k8s.io/id',
  buildId: 'prow.k8s.io/build-id',
  plankVersion: 'prow.k8s.io/plank-version',
} as const;

/** The name crier's GitHub reporter records in `status.prev_report_states`. */
export const GitHubReporterName = 'github-reporter';
