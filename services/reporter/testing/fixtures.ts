// Test support: ProwJobs as plank leaves them, their report nudges, the config reporter reads, a
// writer recording what it was asked to write, and GitHub's error answers as Octokit throws them.
import { publishJson, type Bus } from '@jetprow/bus';
import { newProwJob, postsubmitSpec, presubmitSpec, reportSubject, statusSha } from '@jetprow/core';
import type { ProwJob, ProwJobState } from '@jetprow/schemas';
import { toWriteError, type GitHubWriter, type StatusWrite } from '../src/github.js';
import type { ReporterConfig } from '../src/runtime.js';

export const HEAD_SHA = 'a'.repeat(40);
export const BASE_SHA = 'b'.repeat(40);

export function presubmitJob(
  name: string,
  opts: { context?: string; pulls?: number; job?: string } = {},
): ProwJob {
  const pulls = Array.from({ length: opts.pulls ?? 1 }, (_, i) => ({
    number: 12 + i,
    author: 'alice',
    sha: i === 0 ? HEAD_SHA : 'c'.repeat(40),
  }));
  const spec = presubmitSpec(
    { name: opts.job ?? 'pull-unit', context: opts.context ?? opts.job ?? 'pull-unit' },
    { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: BASE_SHA, pulls },
  );
  return newProwJob(spec, { name, now: new Date('2024-05-01T10:00:00Z') });
}

export function postsubmitJob(name: string): ProwJob {
  const spec = postsubmitSpec(
    { name: 'post-unit' },
    { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: BASE_SHA },
  );
  return newProwJob(spec, { name, now: new Date('2024-05-01T10:00:00Z') });
}

const DESCRIPTIONS: Record<ProwJobState, string> = {
  scheduling: 'Job scheduled.',
  triggered: 'Job triggered.',
  pending: 'Job triggered.',
  success: 'Job succeeded.',
  failure: 'Job failed.',
  aborted: 'Job aborted.',
  error: 'Error: pod could not be created.',
};

/** Moves a job to `state` the way plank does (times, description, url). */
export function setState(job: ProwJob, state: ProwJobState, at = '2024-05-01T10:01:00Z'): void {
  job.status.state = state;
  job.status.description = DESCRIPTIONS[state];
  job.status.url = `https://prow.example.com/view/${job.metadata.name}`;
  if (state === 'pending') job.status.pendingTime = at;
  if (['success', 'failure', 'aborted', 'error'].includes(state)) job.status.completionTime = at;
}

/** Publishes the job's report nudge as plank does: on its commit's subject for its context. */
export function nudgeReport(bus: Bus, pj: ProwJob): ReturnType<typeof publishJson> {
  const refs = pj.spec.refs!;
  const subject = reportSubject(refs.org, refs.repo, statusSha(pj) ?? '', pj.spec.context ?? '');
  const state = pj.status.state;
  return publishJson(bus.js, subject, { name: pj.metadata.name, ...(state ? { state } : {}) });
}

export interface RecordingWriter extends GitHubWriter {
  /** The statuses written, in order. */
  readonly writes: StatusWrite[];
  /** Every write of any kind, in order, e.g. `status pull-unit=failure`, `comment+ o/r#12`. */
  readonly log: string[];
  /** Scripted answers, used in order before writes succeed: an error to throw, or a hook to run. */
  readonly script: (Error | ((s: StatusWrite) => Promise<void>))[];
}

export function recordingWriter(): RecordingWriter {
  const writes: StatusWrite[] = [];
  const log: string[] = [];
  const script: RecordingWriter['script'] = [];
  return {
    writes,
    log,
    script,
    async createStatus(s) {
      const next = script.shift();
      if (next instanceof Error) throw next;
      if (next) await next(s);
      writes.push(s);
      log.push(`status ${s.context}=${s.state}`);
    },
    async createComment(i, body) {
      log.push(`comment+ ${i.org}/${i.repo}#${i.number} ${body.split('\n')[0]}`);
    },
    async editComment(r, id, body) {
      log.push(`comment~ ${r.org}/${r.repo} ${id} ${body.split('\n')[0]}`);
    },
    async deleteComment(r, id) {
      log.push(`comment- ${r.org}/${r.repo} ${id}`);
    },
    async addLabel(i, label) {
      log.push(`label+ ${i.org}/${i.repo}#${i.number} ${label}`);
    },
    async removeLabel(i, label) {
      log.push(`label- ${i.org}/${i.repo}#${i.number} ${label}`);
    },
  };
}

/**
 * The reporter part of config.yaml as libs/config gives it for an empty file (Prow's defaults:
 * presubmits and postsubmits reported, every repo commented on, no report template), changed by
 * `over`.
 */
export function reporterConfig(
  over: Partial<ReporterConfig['github_reporter']> & {
    report_templates?: Record<string, string>;
  } = {},
): ReporterConfig {
  const { report_templates = {}, ...reporter } = over;
  return {
    github_reporter: {
      job_types_to_report: ['presubmit', 'postsubmit'],
      no_comment_repos: [],
      summary_comment_repos: [],
      ...reporter,
    },
    plank: { report_templates },
  };
}

/** GitHub's answer `status` as Octokit throws it (a RequestError), translated as reporter does. */
export function githubError(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
  nowMs = Date.now(),
) {
  const requestError = Object.assign(new Error(`HTTP ${status}`), {
    status,
    response: { status, headers, data: body },
  });
  return toWriteError('create status', requestError, nowMs);
}
