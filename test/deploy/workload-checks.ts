// Checks on rendered workloads that no schema expresses: what each ServiceAccount may do, and
// what every jetprow Deployment must have to be probed, scraped, bounded and drained.
import type { K8sObject } from './render.js';
import { podSpec } from './pod-files.js';

/** `namespace/apiGroup/resource` → sorted verbs. */
export type Permissions = Record<string, string[]>;

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
}
interface Binding {
  roleRef: { kind: string; name: string };
  subjects?: { kind: string; name: string; namespace?: string }[];
}

/** Everything the ServiceAccount `namespace/name` is granted through Roles and ClusterRoles. */
export function permissions(objects: K8sObject[], namespace: string, name: string): Permissions {
  const grants: Record<string, Set<string>> = {};
  const bindings = objects.filter(
    (o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding',
  );
  for (const b of bindings) {
    const { roleRef, subjects = [] } = b as unknown as Binding;
    const where = b.metadata.namespace;
    const bound = subjects.some(
      (s) => s.kind === 'ServiceAccount' && s.name === name && (s.namespace ?? where) === namespace,
    );
    if (!bound) continue;
    const role = objects.find(
      (o) =>
        o.kind === roleRef.kind &&
        o.metadata.name === roleRef.name &&
        (roleRef.kind === 'ClusterRole' || o.metadata.namespace === where),
    );
    if (!role) {
      grants[`unresolved ${roleRef.kind} ${roleRef.name} in ${b.kind} ${b.metadata.name}`] =
        new Set();
      continue;
    }
    for (const rule of (role as unknown as { rules?: Rule[] }).rules ?? []) {
      for (const group of rule.apiGroups ?? ['']) {
        for (const resource of rule.resources ?? []) {
          const key = `${where ?? '*'}/${group}/${resource}`;
          grants[key] ??= new Set();
          for (const verb of rule.verbs) grants[key].add(verb);
        }
      }
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([k, v]) => [k, [...v].sort()]));
}

interface HttpProbe {
  httpGet?: { path?: string; port?: number | string };
}
interface Container {
  name: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  startupProbe?: HttpProbe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface DeploymentShape {
  spec: {
    replicas?: number;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: {
        serviceAccountName?: string;
        terminationGracePeriodSeconds?: number;
        securityContext?: { runAsNonRoot?: boolean };
        containers: Container[];
      };
    };
  };
}

const probes = (c: Container, which: 'readinessProbe' | 'livenessProbe' | 'startupProbe') =>
  c[which]?.httpGet;

/** What a jetprow Deployment lacks; empty when it has everything. */
export function problemsOfDeployment(d: K8sObject, minReplicas: number): string[] {
  const { spec } = d as unknown as DeploymentShape;
  const pod = podSpec(d) as DeploymentShape['spec']['template']['spec'];
  const id = `Deployment/${d.metadata.name}`;
  const problems: string[] = [];
  const want = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${id}: ${what}`);
  };
  want((spec.replicas ?? 1) >= minReplicas, `replicas ${spec.replicas ?? 1} < ${minReplicas}`);
  want(
    (pod.terminationGracePeriodSeconds ?? 0) >= 30,
    'terminationGracePeriodSeconds < 30 (drain)',
  );
  want(pod.serviceAccountName === d.metadata.name, 'serviceAccountName is not its own');
  want(pod.securityContext?.runAsNonRoot === true, 'may run as root');
  want(
    spec.template.metadata.annotations?.['prometheus.io/port'] === '9090',
    'no scrape port 9090',
  );
  want(pod.containers.length === 1, 'not exactly one container');
  for (const c of pod.containers) {
    const args = c.args ?? [];
    const ready = probes(c, 'readinessProbe');
    const live = probes(c, 'livenessProbe');
    const startup = probes(c, 'startupProbe');
    want(
      ready?.path === '/healthz/ready' && ready.port === 8081,
      'readiness is not /healthz/ready:8081',
    );
    want(live?.path === '/healthz' && live.port === 8081, 'liveness is not /healthz:8081');
    want(
      !startup || (startup.path === '/healthz' && startup.port === 8081),
      'startup probe not :8081',
    );
    want(args.includes('--health-port=8081'), 'process not told --health-port=8081');
    want(args.includes('--metrics-port=9090'), 'process not told --metrics-port=9090');
    const port = (n: number, name: string) =>
      c.ports?.some((p) => p.containerPort === n && p.name === name) ?? false;
    want(port(8081, 'health') && port(9090, 'metrics'), 'ports health 8081 / metrics 9090 missing');
    const r = c.resources;
    want(Boolean(r?.requests?.cpu && r.requests.memory), 'no cpu/memory requests');
    want(Boolean(r?.limits?.memory), 'no memory limit');
  }
  return problems;
}
