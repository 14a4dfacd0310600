// Pod statuses as the scheduler and kubelet write them, for tests that move a Pod through its
// phases: scheduled (Pending) → running → terminated (Succeeded / Failed), and the unexpected
// stops Prow distinguishes (Evicted, NodeLost, OOMKilled, phase Unknown). Pure.
type Json = Record<string, unknown>;
interface PodLike {
  spec?: {
    containers?: { name: string; image?: string }[];
    initContainers?: { name: string; image?: string }[];
  };
  status?: Json;
}

/** RFC 3339 with second precision, as the apiserver writes metav1.Time. */
export const kubeTime = (d: Date = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const containers = (pod: PodLike) => pod.spec?.containers ?? [];

function containerStatus(c: { name: string; image?: string }, state: Json, ready: boolean): Json {
  return {
    name: c.name,
    image: c.image ?? '',
    imageID: c.image ? `docker-pullable://${c.image}@sha256:${'0'.repeat(64)}` : '',
    ready,
    restartCount: 0,
    started: 'running' in state,
    state,
    ...('terminated' in state ? { containerID: `containerd://${c.name}` } : {}),
  };
}

const condition = (type: string, status: 'True' | 'False', at: string, reason?: string): Json => ({
  type,
  status,
  lastTransitionTime: at,
  lastProbeTime: null,
  ...(reason ? { reason } : {}),
});

/** The scheduler bound the Pod: PodScheduled=True, still Pending (images pulling). */
export function scheduledStatus(pod: PodLike, now = new Date()): Json {
  const at = kubeTime(now);
  return {
    ...pod.status,
    phase: 'Pending',
    conditions: [condition('PodScheduled', 'True', at)],
  };
}

/** The kubelet started every container. */
export function runningStatus(pod: PodLike, now = new Date()): Json {
  const at = kubeTime(now);
  return {
    ...pod.status,
    phase: 'Running',
    startTime: (pod.status?.startTime as string | undefined) ?? at,
    hostIP: '10.0.0.1',
    podIP: '10.1.0.1',
    conditions: [
      condition('PodScheduled', 'True', at),
      condition('Initialized', 'True', at),
      condition('ContainersReady', 'True', at),
      condition('Ready', 'True', at),
    ],
    containerStatuses: containers(pod).map((c) =>
      containerStatus(c, { running: { startedAt: at } }, true),
    ),
  };
}

export interface Termination {
  /** The exit code of every container (or per container name). */
  exitCode: number | Record<string, number>;
  /** The termination reason (default Completed for 0, Error otherwise). */
  reason?: string;
}

/** Every container ended: Succeeded when all exited 0, else Failed. */
export function terminatedStatus(pod: PodLike, t: Termination, now = new Date()): Json {
  const at = kubeTime(now);
  const started = (pod.status?.startTime as string | undefined) ?? at;
  const codeOf = (name: string): number =>
    typeof t.exitCode === 'number' ? t.exitCode : (t.exitCode[name] ?? 0);
  const statuses = containers(pod).map((c) => {
    const exitCode = codeOf(c.name);
    const reason = t.reason ?? (exitCode === 0 ? 'Completed' : 'Error');
    return containerStatus(
      c,
      { terminated: { exitCode, reason, startedAt: started, finishedAt: at } },
      false,
    );
  });
  const ok = containers(pod).every((c) => codeOf(c.name) === 0);
  return {
    ...pod.status,
    phase: ok ? 'Succeeded' : 'Failed',
    startTime: started,
    conditions: [
      condition('PodScheduled', 'True', at),
      condition('Initialized', 'True', at, ok ? 'PodCompleted' : undefined),
      condition('ContainersReady', 'False', at, ok ? 'PodCompleted' : 'PodFailed'),
      condition('Ready', 'False', at, ok ? 'PodCompleted' : 'PodFailed'),
    ],
    containerStatuses: statuses,
  };
}

/** The kubelet evicted the Pod (node pressure): phase Failed, reason Evicted. */
export function evictedStatus(pod: PodLike, now = new Date()): Json {
  return {
    ...terminatedStatus(pod, { exitCode: 137, reason: 'Error' }, now),
    phase: 'Failed',
    reason: 'Evicted',
    message: 'The node was low on resource: memory.',
  };
}

/** A container was OOM-killed while the Pod still runs (Prow's OOMKilled cause). */
export function oomKilledStatus(pod: PodLike, now = new Date()): Json {
  const running = runningStatus(pod, now);
  const at = kubeTime(now);
  const first = containers(pod)[0];
  const statuses = [...(running.containerStatuses as Json[])];
  if (first) {
    const terminated = { exitCode: 137, reason: 'OOMKilled', startedAt: at, finishedAt: at };
    statuses[0] = containerStatus(first, { terminated }, false);
  }
  return { ...running, containerStatuses: statuses };
}

/** The node stopped reporting: the node controller marks the Pod NodeLost (Prow: Unreachable). */
export function nodeLostStatus(pod: PodLike): Json {
  return {
    ...pod.status,
    reason: 'NodeLost',
    message: 'Node node-1 which was running pod is unresponsive',
  };
}

/** Phase Unknown: the node's state cannot be obtained. */
export function unknownStatus(pod: PodLike): Json {
  return { ...pod.status, phase: 'Unknown' };
}
