// The commit status a ProwJob's current state becomes (pkg/github/report/report.go reportStatus).
import type { ProwJob } from '@jetprow/schemas';
import { contextDescriptionWithBaseSha, githubStateFor, statusSha } from '@jetprow/core';
import type { StatusWrite } from './github-writer.js';

/** The status to write, or undefined when the job has no commit to put it on. */
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
