// The messages plank puts on the bus, as pure functions: "reconcile job X" on its shard's
// subject, and "report job X" on its commit-status subject (reporter decides whether to report;
// PROW_REPORTS keeps only the newest message per subject, so bursts coalesce).
import { jobSubject, reportSubject, shardFor, statusSha } from '@jetprow/core';
import {
  GitHubReporterName,
  Labels,
  isComplete,
  type JobNudge,
  type ProwJob,
  type ReportNudge,
} from '@jetprow/schemas';

export interface Outgoing<T> {
  subject: string;
  data: T;
  /** JetStream dedupe id; none when every copy should be delivered. */
  msgID?: string;
  /** The GitHub delivery the job descends from (its `event-GUID` label): `Prow-Delivery`. */
  delivery?: string;
}

const deliveryOf = (pj: ProwJob): { delivery?: string } => {
  const guid = pj.metadata.labels?.[Labels.eventGUID];
  return guid ? { delivery: guid } : {};
};

/** `${name}@${resourceVersion}`: every replica's feeder publishes a change once, together. */
export function changeMsgId(pj: ProwJob): string {
  return `${pj.metadata.name}@${pj.metadata.resourceVersion ?? '0'}`;
}

export function jobNudge(name: string, reason: string, msgID?: string): Outgoing<JobNudge> {
  const subject = jobSubject(shardFor(name));
  return { subject, data: { name, reason }, ...(msgID ? { msgID } : {}) };
}

/** A nudge when plank still has something to do with the job (it is not complete). */
export function jobNudgeForChange(
  pj: ProwJob,
  msgID = changeMsgId(pj),
): Outgoing<JobNudge> | undefined {
  if (isComplete(pj)) return undefined;
  return { ...jobNudge(pj.metadata.name, 'changed', msgID), ...deliveryOf(pj) };
}

/** A report nudge when the GitHub reporter has not reported the job's current state yet. */
export function reportNudgeFor(
  pj: ProwJob,
  msgID = changeMsgId(pj),
): Outgoing<ReportNudge> | undefined {
  const refs = pj.spec.refs;
  if (!refs) return undefined;
  const state = pj.status.state;
  if (pj.status.prev_report_states?.[GitHubReporterName] === state) return undefined;
  const sha = statusSha(pj) || refs.base_sha || ''; // '' is the subject token '_'
  return {
    subject: reportSubject(refs.org, refs.repo, sha, pj.spec.context ?? pj.spec.job),
    data: { name: pj.metadata.name, ...(state ? { state } : {}) },
    msgID,
    ...deliveryOf(pj),
  };
}
