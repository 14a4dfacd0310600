// deploy/ renders with the real `kubectl kustomize` (the base and the example overlay), every
// object is valid for Kubernetes, the RBAC is exactly what each service's code uses, every
// Deployment is probed, scraped, bounded and drained, and each container's command line is
// accepted by jetprow's own flag parser and config loader with its files laid out as the pod
// would see them. Nothing here talks to a cluster: docs/deploy.md says what was tested on one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@jetprow/config';
import { parseServiceFlags, type ServiceDefinition } from '@jetprow/service';
import { repoRoot } from '@jetprow/testing';
import { validateObject } from './k8s-schema.js';
import { layOutPod, podSpec } from './pod-files.js';
import { findKubectl, kubectlVersion, objectId, render, type K8sObject } from './render.js';
import { find, ofKind, selects, view } from './shapes.js';
import type { ConfigMapView, IngressView, NetworkPolicyView, SecretView } from './shapes.js';
import type { ServiceView, WorkloadView } from './shapes.js';
import { permissions, problemsOfDeployment, type Permissions } from './workload-checks.js';

const kubectl = findKubectl();
if (!kubectl) {
  console.warn('test/deploy skipped: no kubectl on PATH (apt-get install kubernetes-client)');
}
const natsServer = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server'].find(existsSync);
const SERVICES = ['hook', 'trigger', 'plank', 'reporter', 'sinker'] as const;

// Least privilege: the API verbs each service's code calls, and nothing else
// (`namespace/apiGroup/resource` → verbs).
const rbacCases: { name: string; sa: (typeof SERVICES)[number]; want: Permissions }[] = [
  { name: 'hook only talks to NATS: no API permission at all', sa: 'hook', want: {} },
  {
    name: 'trigger creates ProwJobs, lists a PR’s jobs and aborts superseded ones (get + update)',
    sa: 'trigger',
    want: { 'prow/prow.k8s.io/prowjobs': ['create', 'get', 'list', 'update'] },
  },
  {
    name: 'plank watches and updates ProwJobs, and runs, watches, aborts and reads build Pods',
    sa: 'plank',
    want: {
      'prow/prow.k8s.io/prowjobs': ['get', 'list', 'update', 'watch'],
      'test-pods//pods': ['create', 'delete', 'get', 'list', 'watch'],
      'test-pods//pods/log': ['get'],
    },
  },
  {
    name: 'reporter reads a ProwJob and records prev_report_states (update)',
    sa: 'reporter',
    want: { 'prow/prow.k8s.io/prowjobs': ['get', 'list', 'update'] },
  },
  {
    name: 'sinker deletes old ProwJobs and Pods, and gets a Pod’s ProwJob to spot orphans',
    sa: 'sinker',
    want: {
      'prow/prow.k8s.io/prowjobs': ['delete', 'get', 'list'],
      'test-pods//pods': ['delete', 'list'],
    },
  },
];

const targets = [
  { name: 'deploy/base', minReplicas: 1 },
  { name: 'deploy/overlays/example', minReplicas: 2 },
];

const title = `deploy/ rendered by kubectl kustomize${kubectl ? '' : ' (SKIPPED: no kubectl on PATH)'}`;

describe.skipIf(!kubectl)(title, () => {
  let tmp: string;
  const rendered = new Map<string, K8sObject[]>();
  const renderOnce = (dir: string): K8sObject[] => {
    if (!rendered.has(dir)) rendered.set(dir, render(kubectl!, join(repoRoot, dir)));
    return rendered.get(dir)!;
  };
  let definitions: Record<string, ServiceDefinition>;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'jetprow-deploy-'));
    console.info(`kubectl: ${kubectl}: ${kubectlVersion(kubectl!).replaceAll('\n', '; ')}`);
    definitions = {
      hook: (await import('@jetprow/hook/main')).service,
      trigger: (await import('@jetprow/trigger/main')).service,
      plank: (await import('@jetprow/plank/main')).service,
      reporter: (await import('@jetprow/reporter/main')).service,
      sinker: (await import('@jetprow/sinker/main')).service,
    };
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('ships Prow’s ProwJob CRD unchanged (fixtures/prow)', () => {
    const crd = 'prowjob_customresourcedefinition.yaml';
    const ours = readFileSync(join(repoRoot, 'deploy/base', crd), 'utf8');
    const prow = readFileSync(join(repoRoot, 'fixtures/prow', crd), 'utf8');
    expect(ours.replace(/^(#.*\n)+/, '')).toBe(prow);
  });

  it('the base ships no secret values (hook, trigger and reporter refuse empty ones)', () => {
    const secrets = ofKind(renderOnce('deploy/base'), 'Secret');
    expect(secrets.map(objectId).sort()).toEqual([
      'Secret/prow/github-token',
      'Secret/prow/hmac-token',
    ]);
    for (const s of secrets)
      expect(Object.values(view<SecretView>(s, 'secret').data ?? {})).toEqual(['']);
  });

  for (const target of targets) {
    describe(target.name, () => {
      let objects: K8sObject[];
      beforeAll(() => {
        objects = renderOnce(target.name);
      });
      const natsConf = () =>
        view<ConfigMapView>(find(objects, 'ConfigMap', 'nats-config'), 'nats-config').data![
          'nats.conf'
        ]!;

      it('every object is valid against the Kubernetes schemas (CRD: apiextensions/v1)', async () => {
        const problems: string[] = [];
        for (const o of objects) {
          for (const p of await validateObject(o)) problems.push(`${objectId(o)} ${p}`);
        }
        expect(problems).toEqual([]);
        expect(objects.length).toBeGreaterThan(30);
      });

      it('has Prow’s pieces once each: CRD, namespaces, config, secrets, a Deployment per service', () => {
        const ids = objects.map(objectId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toEqual(
          expect.arrayContaining([
            'CustomResourceDefinition/prowjobs.prow.k8s.io',
            'Namespace/prow',
            'Namespace/test-pods',
            'ConfigMap/prow/config',
            'ConfigMap/prow/plugins',
            'ConfigMap/prow/job-config',
            'Secret/prow/hmac-token',
            'Secret/prow/github-token',
            'StatefulSet/prow/nats',
            'Ingress/prow/jetprow',
            ...SERVICES.map((s) => `Deployment/prow/${s}`),
          ]),
        );
      });

      for (const tc of rbacCases) {
        it(`RBAC: ${tc.name}`, () => {
          expect(permissions(objects, 'prow', tc.sa)).toEqual(tc.want);
        });
      }

      it('RBAC: no ClusterRoles, and hook’s pods carry no API token', () => {
        expect(ofKind(objects, 'ClusterRole')).toEqual([]);
        expect(ofKind(objects, 'ClusterRoleBinding')).toEqual([]);
        const hook = find(objects, 'Deployment', 'hook')!;
        expect(podSpec(hook)).toMatchObject({ automountServiceAccountToken: false });
        const sa = find(objects, 'ServiceAccount', 'hook');
        expect(sa).toMatchObject({ automountServiceAccountToken: false });
      });

      it(`every Deployment: probes on 8081, metrics on 9090, resources, drain time, ≥ ${target.minReplicas} replica(s)`, () => {
        const deployments = ofKind(objects, 'Deployment');
        expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES].sort());
        const problems = deployments.flatMap((d) => problemsOfDeployment(d, target.minReplicas));
        expect(problems).toEqual([]);
      });

      it('references resolve: service accounts, Service selectors, Ingress backends', () => {
        const problems: string[] = [];
        const workloads = [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'StatefulSet')];
        for (const w of workloads) {
          const sa = podSpec(w).serviceAccountName;
          if (sa && !find(objects, 'ServiceAccount', sa))
            problems.push(`${objectId(w)}: no SA ${sa}`);
        }
        for (const s of ofKind(objects, 'Service')) {
          const selector = view<ServiceView>(s, 'service').spec.selector ?? {};
          const hits = workloads.filter((w) =>
            selects(selector, view<WorkloadView>(w, 'workload').spec.template.metadata.labels),
          );
          if (hits.length !== 1) problems.push(`${objectId(s)} selects ${hits.length} workloads`);
        }
        const ingress = view<IngressView>(find(objects, 'Ingress', 'jetprow'), 'ingress');
        for (const p of ingress.spec.rules.flatMap((r) => r.http.paths)) {
          const { name, port } = p.backend.service;
          const svc = find(objects, 'Service', name);
          const ports = svc ? view<ServiceView>(svc, name).spec.ports : [];
          if (!ports.some((x) => x.name === port.name))
            problems.push(`${p.path}: no ${name}:${port.name}`);
        }
        expect(problems).toEqual([]);
      });

      it('hook is reachable: Service port 8888 selects hook pods, Ingress routes /hook to it', () => {
        const service = view<ServiceView>(find(objects, 'Service', 'hook'), 'hook Service');
        const hook = view<WorkloadView>(find(objects, 'Deployment', 'hook'), 'hook');
        expect(selects(service.spec.selector!, hook.spec.template.metadata.labels)).toBe(true);
        expect(service.spec.ports).toContainEqual(expect.objectContaining({ port: 8888 }));
        const ingress = view<IngressView>(find(objects, 'Ingress', 'jetprow'), 'ingress');
        const backend = { service: { name: 'hook', port: { name: 'http' } } };
        const paths = ingress.spec.rules.flatMap((r) => r.http.paths);
        expect(paths).toContainEqual(expect.objectContaining({ path: '/hook', backend }));
      });

      it('NATS: 3 nodes with a PVC each, routed over the headless Service, only jetprow pods may connect', () => {
        const nats = view<WorkloadView>(find(objects, 'StatefulSet', 'nats'), 'nats');
        expect(nats.spec.replicas).toBe(3);
        expect(nats.spec.volumeClaimTemplates).toHaveLength(1);
        const headless = nats.spec.serviceName!;
        expect(find(objects, 'Service', headless)).toMatchObject({
          spec: { clusterIP: 'None', publishNotReadyAddresses: true },
        });
        for (const i of [0, 1, 2])
          expect(natsConf()).toContain(`nats://nats-${i}.${headless}:6222`);

        const policy = view<NetworkPolicyView>(find(objects, 'NetworkPolicy', 'nats'), 'policy');
        expect(
          selects(policy.spec.podSelector.matchLabels, nats.spec.template.metadata.labels),
        ).toBe(true);
        const from = policy.spec.ingress.flatMap((r) => r.from);
        // Only podSelectors, so only pods of this namespace: never the build Pods in test-pods.
        expect(from.map((f) => Object.keys(f).join())).toEqual(from.map(() => 'podSelector'));
        const admitted = (labels: Record<string, string>) =>
          from.some((f) =>
            selects((f.podSelector as { matchLabels: Record<string, string> }).matchLabels, labels),
          );
        for (const w of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'StatefulSet')]) {
          expect(
            admitted(view<WorkloadView>(w, 'workload').spec.template.metadata.labels),
            objectId(w),
          ).toBe(true);
        }
      });

      it.skipIf(!natsServer)(
        'NATS: nats-server accepts the rendered nats.conf (nats-server -t)',
        () => {
          const file = join(tmp, `${target.name.replaceAll('/', '-')}-nats.conf`);
          writeFileSync(file, natsConf());
          const run = spawnSync(natsServer!, ['-c', file, '-t'], {
            encoding: 'utf8',
            env: { ...process.env, SERVER_NAME: 'nats-0' },
          });
          expect(`${run.stdout}${run.stderr}`).toContain('is valid');
          expect(run.status).toBe(0);
        },
      );

      it('each command line passes jetprow’s flag parser, and its config loads with the manifests’ namespaces', () => {
        for (const name of SERVICES) {
          const deployment = find(objects, 'Deployment', name)!;
          const root = join(tmp, target.name.replaceAll('/', '-'), name);
          const { args, problems } = layOutPod(objects, deployment, root);
          expect(problems).toEqual([]);
          const [command, ...flags] = args;
          expect(command).toBe(name);
          // The kubelet sets these in every Pod; --in-cluster requires them.
          const env = {
            KUBERNETES_SERVICE_HOST: process.env.KUBERNETES_SERVICE_HOST,
            KUBERNETES_SERVICE_PORT: process.env.KUBERNETES_SERVICE_PORT,
          };
          process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
          process.env.KUBERNETES_SERVICE_PORT = '443';
          // Every flag is one this service reads (a service refuses any other, exit 2), every
          // flag it requires is there, and each group accepts its value.
          let parsed: ReturnType<typeof parseServiceFlags>;
          try {
            parsed = parseServiceFlags(definitions[name]!, flags);
          } finally {
            for (const [k, v] of Object.entries(env)) {
              if (v === undefined) delete process.env[k];
              else process.env[k] = v;
            }
          }
          if (parsed.help) expect.fail(`${name}: --help in the Deployment's args`);
          const opts = parsed as typeof parsed & { inCluster?: boolean };
          // Every service that reads or writes ProwJobs or Pods uses the cluster.
          expect(opts.inCluster ?? false, name).toBe(name !== 'hook');
          expect(opts).toMatchObject({
            natsUrl: 'nats://nats:4222',
            healthPort: 8081,
            metricsPort: 9090,
          });
          // Every stream and bucket on all three NATS nodes: one node lost loses no data.
          const nats = view<WorkloadView>(find(objects, 'StatefulSet', 'nats'), 'nats');
          expect(opts.natsReplicas, name).toBe(3);
          expect(opts.natsReplicas, name).toBeLessThanOrEqual(nats.spec.replicas!);
          if (!opts.configPath) continue;
          const loaded = loadConfig({
            configPath: opts.configPath,
            jobConfigPath: opts.jobConfigPath,
            pluginConfigPath: opts.pluginConfig,
          });
          if (!loaded.ok) expect.fail(`${name}: ${loaded.errors.map(String).join('\n')}`);
          expect(loaded.config.prow.prowjob_namespace).toBe(deployment.metadata.namespace);
          expect(loaded.config.prow.pod_namespace).toBe('test-pods');
          if (opts.jobConfigPath) {
            // Read through kubelet's ..data symlinks: each job once (a twice-read file would fail).
            expect(Object.values(loaded.config.jobs.presubmits).flat().length).toBeGreaterThan(0);
          }
        }
      });
    });
  }
});
