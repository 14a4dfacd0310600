// What plank needs to know about a build, read from its Pod as Prow's plank reads it
// (pkg/plank/reconciler.go: getPodUnexpectedStopCause, didPodSucceed, getPodBuildID). Pure. Time
// fields may be strings (watch events, raw JSON) or Dates (client-node's typed models).
import { Labels } from '@jetprow/schemas';
import type { BuildInfo, BuildPhase, BuildStatus } from './job-runner.js';
import { TEST_CONTAINER } from './pod-spec.js';

type Time = string | Date | undefined | null;

interface Terminated {
  exitCode?: number;
  reason?: string;
  finishedAt?: Time;
}
interface ContainerStatus {
  name?: string;
  state?: { terminated?: Terminated | null } | null;
}
/** The Pod fields read here (structurally satisfied by client-node's V1Pod and raw JSON). */
export interface PodView {
  metadata?: {
    name?: string;
    labels?: Record<string, string>;
    creationTimestamp?: Time;
    deletionTimestamp?: Time;
  };
  spec?: { containers?: { name?: string; env?: { name?: string; value?: string }[] | null }[] };
  status?: {
    phase?: string;
    reason?: string;
    startTime?: Time;
    conditions?: { type?: string; status?: string }[] | null;
    containerStatuses?: ContainerStatus[] | null;
    initContainerStatuses?: ContainerStatus[] | null;
  } | null;
}

const iso = (t: Time): string | undefined => {
  if (t === undefined || t === null || t === '') return undefined;
  return typeof t === 'string' ? new Date(t).toISOString() : t.toISOString();
};

const PHASES: Record<string, BuildPhase> = {
  Pending: 'pending',
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Unknown: 'unknown',
};

/** Prow's getPodBuildID: the build-id label, else BUILD_ID in the first container's env. */
function podBuildId(pod: PodView): string | undefined {
  const label = pod.metadata?.labels?.[Labels.buildId];
  if (label) return label;
  const env = pod.spec?.containers?.[0]?.env ?? [];
  return env.find((e) => e.name === 'BUILD_ID')?.value || undefined;
}

const statuses = (pod: PodView): ContainerStatus[] => [
  ...(pod.status?.containerStatuses ?? []),
  ...(pod.status?.initContainerStatuses ?? []),
];

/** Prow's getPodUnexpectedStopCause, minus Unknown (that is the `unknown` phase here). */
function podDisruption(pod: PodView): BuildStatus['disruption'] {
  const reason = pod.status?.reason;
  if (reason === 'Evicted') return 'Evicted';
  if (reason === 'NodeLost' && pod.metadata?.deletionTimestamp) return 'NodeLost';
  if (
    pod.status?.phase === 'Running' &&
    statuses(pod).some((c) => c.state?.terminated?.reason === 'OOMKilled')
  ) {
    return 'OOMKilled';
  }
  return undefined;
}

/** Prow's didPodSucceed: every container terminated with exit code 0 and a finish time. */
function didPodSucceed(pod: PodView): boolean {
  if (pod.status?.phase !== 'Succeeded') return false;
  return statuses(pod).every((c) => {
    const t = c.state?.terminated;
    return t !== undefined && t !== null && t.exitCode === 0 && iso(t.finishedAt) !== undefined;
  });
}

/** The container whose exit code is the build's: `test`, else the first. */
function mainContainer(pod: PodView): ContainerStatus | undefined {
  const list = pod.status?.containerStatuses ?? [];
  return (
    list.find((c) => c.name === TEST_CONTAINER) ??
    list.find((c) => c.name === pod.spec?.containers?.[0]?.name) ??
    list[0]
  );
}

export function buildStatusOf(pod: PodView): BuildStatus {
  const s = pod.status ?? {};
  const phase = PHASES[s.phase ?? ''] ?? 'pending'; // no phase yet: just created
  const out: BuildStatus = { phase };
  const main = mainContainer(pod)?.state?.terminated;
  if (main && typeof main.exitCode === 'number') out.exitCode = main.exitCode;
  const startedAt = iso(s.startTime);
  if (startedAt) out.startedAt = startedAt;
  const finished = statuses(pod)
    .map((c) => iso(c.state?.terminated?.finishedAt))
    .filter((t): t is string => t !== undefined)
    .sort();
  if (finished.length > 0 && (phase === 'succeeded' || phase === 'failed'))
    out.finishedAt = finished.at(-1)!;
  const reason = s.reason || main?.reason;
  if (reason) out.reason = reason;
  const buildId = podBuildId(pod);
  if (buildId) out.buildId = buildId;
  const createdAt = iso(pod.metadata?.creationTimestamp);
  if (createdAt) out.createdAt = createdAt;
  out.scheduled = (s.conditions ?? []).some(
    (c) => c.type === 'PodScheduled' && c.status === 'True',
  );
  if (pod.metadata?.deletionTimestamp) out.deleting = true;
  const disruption = podDisruption(pod);
  if (disruption) out.disruption = disruption;
  if (phase === 'succeeded') out.allContainersSucceeded = didPodSucceed(pod);
  return out;
}

export function buildInfoOf(pod: PodView): BuildInfo {
  const name = pod.metadata?.name ?? '';
  const status = buildStatusOf(pod);
  return {
    name,
    prowJob: pod.metadata?.labels?.[Labels.id] || name,
    // Prow's sinker ages Pods by status.startTime; a Pod that never started by its creation.
    startedAt: status.startedAt ?? status.createdAt ?? new Date(0).toISOString(),
    phase: status.phase,
    ...(status.buildId ? { buildId: status.buildId } : {}),
  };
}

/** The facts plank acts on; a Pod event that changes them is worth a reconcile. */
export function reconcileKey(status: BuildStatus): string {
  const { phase, scheduled, deleting, disruption, allContainersSucceeded } = status;
  return JSON.stringify([
    phase,
    scheduled ?? false,
    deleting ?? false,
    disruption ?? '',
    allContainersSucceeded ?? null,
  ]);
}
