// What the apiserver does to a Pod besides storing it: defaulting on create (a subset of
// k8s.io/kubernetes/pkg/apis/core/v1/defaults.go and the ServiceAccount admission plugin), a fresh
// Pending status, and the rule that a Pod's spec is immutable except for a few fields.
import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;
type Container = Json & { image?: string; resources?: Json };

function pullPolicy(image: string | undefined): string {
  if (!image) return 'IfNotPresent';
  const last = image.split('/').at(-1) ?? image;
  if (image.includes('@')) return 'IfNotPresent';
  const tag = last.includes(':') ? last.slice(last.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function qosClass(containers: Container[]): string {
  const rs = containers.map((c) => c.resources ?? {});
  const any = rs.some(
    (r) =>
      Object.keys((r.requests as Json | undefined) ?? {}).length ||
      Object.keys((r.limits as Json | undefined) ?? {}).length,
  );
  if (!any) return 'BestEffort';
  const guaranteed = rs.every((r) => {
    const limits = (r.limits ?? {}) as Json;
    const requests = (r.requests ?? limits) as Json;
    return ['cpu', 'memory'].every(
      (k) => limits[k] !== undefined && String(limits[k]) === String(requests[k]),
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Defaults a new Pod in place and gives it the status a new Pod has. */
export function defaultPod(pod: Json): void {
  const spec = (pod.spec ??= {}) as Json;
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.serviceAccountName ??= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  const containers = (spec.containers ?? []) as Container[];
  for (const c of [...containers, ...((spec.initContainers ?? []) as Container[])]) {
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.imagePullPolicy ??= pullPolicy(c.image);
    c.resources ??= {};
  }
  pod.status = { phase: 'Pending', qosClass: qosClass(containers) };
}

/** Why a Pod update is refused (spec fields other than images and deadlines changed). */
export function podSpecChangeProblem(
  before: Json | undefined,
  after: Json | undefined,
): string | undefined {
  const mutable = (spec: Json | undefined): Json => {
    const s = structuredClone(spec ?? {});
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    for (const c of [...((s.containers ?? []) as Json[]), ...((s.initContainers ?? []) as Json[])])
      delete c.image;
    return s;
  };
  if (isDeepStrictEqual(mutable(before), mutable(after))) return undefined;
  return 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations)';
}
