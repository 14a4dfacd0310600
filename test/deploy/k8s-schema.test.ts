// The validator behind test/deploy/kustomize.test.ts must reject what a real API server (with
// kubectl's strict field validation) rejects; otherwise "every object is valid" proves nothing.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from './render.js';
import { modelName, validateObject } from './k8s-schema.js';

function deployment(container: Record<string, unknown>, name = 'hook'): K8sObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'prow' },
    spec: {
      selector: { matchLabels: { app: 'hook' } },
      template: {
        metadata: { labels: { app: 'hook' } },
        spec: { containers: [{ name: 'hook', image: 'jetprow', ...container }] },
      },
    },
  };
}

const cases: { name: string; object: K8sObject; problem: RegExp | undefined }[] = [
  {
    name: 'a well-formed Deployment with probes and resources is accepted',
    object: deployment({
      readinessProbe: { httpGet: { path: '/healthz/ready', port: 8081 } },
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } },
    }),
    problem: undefined,
  },
  {
    name: 'a misspelt field is rejected (kubectl apply field validation Strict)',
    object: deployment({ readinesProbe: { httpGet: { port: 8081 } } }),
    problem: /containers\[0\]\.readinesProbe: unknown field/,
  },
  {
    name: 'a port given as a number-like word is rejected (int32)',
    object: deployment({ ports: [{ containerPort: 'eighty' }] }),
    problem: /containerPort: must be integer/,
  },
  {
    name: 'a malformed resource quantity is rejected',
    object: deployment({ resources: { requests: { cpu: '100x' } } }),
    problem: /requests\.cpu: must match format "quantity"/,
  },
  {
    name: 'a container without a name is rejected (required field)',
    object: deployment({ name: undefined }),
    problem: /containers\.0: must have required property '?name'?/,
  },
  {
    name: 'an object name that is not DNS-1123 is rejected',
    object: deployment({}, 'Hook_1'),
    problem: /metadata\.name: "Hook_1" is not a DNS-1123 subdomain/,
  },
  {
    name: 'a kind with no Kubernetes schema is reported, not passed',
    object: { apiVersion: 'prow.k8s.io/v1', kind: 'ProwJob', metadata: { name: 'x' } },
    problem: /no Kubernetes schema for prow\.k8s\.io\/v1 ProwJob/,
  },
  {
    name: 'a CRD whose version lacks a schema-valid name is rejected (apiextensions schema)',
    object: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'prowjobs.prow.k8s.io' },
      spec: {
        group: 'prow.k8s.io',
        names: { kind: 'ProwJob', plural: 'prowjobs' },
        scope: 'Namespaced',
        versions: [{ served: true, storage: true }],
      },
    },
    problem: /versions\.0: must have required property '?name'?/,
  },
];

describe('Kubernetes schema validation used for deploy/', () => {
  it('maps apiVersion and kind to client-node model names', () => {
    expect(modelName('apps/v1', 'Deployment')).toBe('V1Deployment');
    expect(modelName('v1', 'ConfigMap')).toBe('V1ConfigMap');
    expect(modelName('policy/v1', 'PodDisruptionBudget')).toBe('V1PodDisruptionBudget');
  });

  for (const tc of cases) {
    it(tc.name, async () => {
      const problems = await validateObject(tc.object);
      if (tc.problem === undefined) expect(problems).toEqual([]);
      else expect(problems.join('\n')).toMatch(tc.problem);
    });
  }
});
