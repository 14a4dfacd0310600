// Creating the ProwJobs an event asked for (pkg/plugins/trigger/trigger.go runRequested,
// pkg/pjutil NewPresubmit/createRefs). Names are deterministic (delivery + job + SHA), so an
// event consumed twice creates nothing new: AlreadyExists is success.
import type { Presubmit } from '@jetprow/config';
import type { Refs } from '@jetprow/schemas';
import { Labels } from '@jetprow/schemas';
import { newProwJob, presubmitSpec, prowJobName } from '@jetprow/core';
import type { JobStore } from '@jetprow/store';
import { createOnce } from './create-once.js';

export interface PullRequestRef {
  org: string;
  repo: string;
  number: number;
  author: string;
  author_link?: string;
  head_sha: string;
  head_ref: string;
  base_ref: string;
  title: string;
  html_url: string;
  repo_link: string;
  mergeable?: boolean | null;
  draft?: boolean;
}

/** pjutil createRefs */
export function createRefs(pr: PullRequestRef, baseSha: string): Refs {
  return {
    org: pr.org,
    repo: pr.repo,
    repo_link: pr.repo_link,
    base_ref: pr.base_ref,
    base_sha: baseSha,
    base_link: `${pr.repo_link}/commit/${baseSha}`,
    pulls: [
      {
        number: pr.number,
        author: pr.author,
        sha: pr.head_sha,
        head_ref: pr.head_ref,
        title: pr.title,
        link: pr.html_url,
        author_link: pr.author_link ?? '',
        commit_link: `${pr.repo_link}/pull/${pr.number}/commits/${pr.head_sha}`,
      },
    ],
  };
}

export interface RunRequestedDeps {
  store: JobStore;
  now: () => Date;
  namespace: string;
}

/** Returns the names of the jobs created (or already there). */
export async function runRequested(
  deps: RunRequestedDeps,
  pr: PullRequestRef,
  baseSha: string,
  jobs: Presubmit[],
  delivery: string,
  extraLabels: Record<string, string> = {},
): Promise<string[]> {
  // GitHub says the PR cannot merge: Prow creates nothing, silently.
  if (pr.mergeable === false) return [];
  const refs = createRefs(pr, baseSha);
  const names: string[] = [];
  for (const job of jobs) {
    const name = prowJobName(delivery, job.name, pr.head_sha);
    const pj = newProwJob(presubmitSpec(job, refs), {
      name,
      now: deps.now(),
      namespace: deps.namespace,
      labels: {
        ...job.labels,
        ...extraLabels,
        [Labels.eventGUID]: delivery,
        [Labels.isOptional]: String(job.optional === true),
      },
      annotations: { ...job.annotations },
    });
    await createOnce(deps.store, pj);
    names.push(name);
  }
  return names;
}

/** The repository's web URL from a PR's web URL (`…/o/r/pull/1` → `…/o/r`). */
export function repoLinkFromPrUrl(url: string): string {
  return url.replace(/\/pull\/\d+\/?$/, '');
}
