// The commit status of a job (crier's GitHub reporter: pkg/crier/reporters/github/reporter.go and
// pkg/github/report/report.go), written once across crashes: the ledger marks it begun before it
// is sent and done after, and a handler that finds it begun (its predecessor died mid-write)
// looks at the commit's statuses on GitHub first, writing only if the status is not there.
import { createHash } from 'node:crypto';
import { contextDescriptionWithBaseSha, githubStateFor, statusSha } from '@jetprow/core';
import { GitHubReporterName, type ProwJob } from '@jetprow/schemas';
import { jobFields } from '@jetprow/service';
import type { StatusWrite } from './github.js';
import { reportLatencySeconds } from './metrics.js';
import type { ReportTarget } from './report-loop.js';
import { write, writeOnce, type ReporterConfig, type Runtime } from './runtime.js';

/** Jobs carrying this label are reported by the Gerrit reporter (Prow's kube.GerritReportLabel). */
export const GERRIT_REPORT_LABEL = 'prow.k8s.io/gerrit-report-label';

/** crier's GitHub reporter filter (ShouldReport, and ReportStatusContext's batch skip). */
export function shouldReport(pj: ProwJob, config: ReporterConfig): boolean {
  if (pj.spec.report !== true || pj.metadata.labels?.[GERRIT_REPORT_LABEL]) return false;
  if (!config.github_reporter.job_types_to_report.includes(pj.spec.type)) return false;
  // Batch jobs (more than one pull) are not reported: no single commit to put a status on.
  return pj.spec.refs !== undefined && (pj.spec.refs.pulls?.length ?? 0) <= 1;
}

/** The status a job's current state becomes; undefined when it has no commit to put it on. */
export function statusForJob(pj: ProwJob): StatusWrite | undefined {
  const refs = pj.spec.refs;
  const sha = statusSha(pj);
  if (!refs || !sha) return undefined;
  return {
    org: refs.org,
    repo: refs.repo,
    sha,
    state: githubStateFor(pj.status.state),
    context: pj.spec.context ?? '',
    description: contextDescriptionWithBaseSha(pj.status.description ?? '', refs.base_sha ?? ''),
    target_url: pj.status.url ?? '',
  };
}

/** Whether the job gets a commit status (the comment target reports only such jobs too). */
export const reportsStatus = (pj: ProwJob, config: ReporterConfig) =>
  shouldReport(pj, config) && statusForJob(pj) !== undefined;

/** What a status write is, for the ledger: its state plus a digest of everything GitHub shows. */
export function statusIdentity(s: StatusWrite): string {
  return `${s.state}:${createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 16)}`;
}

export function statusTarget(rt: Runtime): ReportTarget {
  return {
    name: GitHubReporterName,
    paced: true,
    shouldReport: (pj) => reportsStatus(pj, rt.config()),
    async report(pj) {
      const status = statusForJob(pj)!;
      const { org, repo, sha, context, state } = status;
      const log = rt.log.child(jobFields(pj));
      const what = `create status ${org}/${repo}@${sha} ${context}=${state}`;
      const landed = async () => {
        const latest = (await rt.reads.latestStatuses(org, repo, sha)).get(context);
        const there =
          latest?.state === state &&
          latest.description === status.description &&
          latest.target_url === status.target_url;
        if (there) log.info({ state }, 'interrupted status write had landed: not written again');
        return there;
      };
      const made = await writeOnce(
        rt,
        { key: `status/${pj.metadata.name}`, what: statusIdentity(status) },
        { landed },
        () => write(rt, { kind: 'status', what, log }, () => rt.writer.createStatus(status)),
      );
      if (made === 'gone') return 'gone';
      if (made !== 'done') return 'found';
      const seconds = reportLatencySeconds(pj, rt.now());
      if (seconds !== undefined)
        rt.metrics.latency.observe({ state: pj.status.state ?? '' }, seconds);
      return 'written';
    },
  };
}
