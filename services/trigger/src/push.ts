// Pushes run postsubmits (pkg/plugins/trigger/push.go).
import type { EventPush, GitHubEvent } from '@jetprow/schemas';
import { Labels } from '@jetprow/schemas';
import { postsubmitShouldRun } from '@jetprow/config';
import { newProwJob, postsubmitSpec, prowJobName } from '@jetprow/core';
import type { TriggerClient } from './context.js';
import { createOnce } from './create-once.js';

const ZERO_SHA = /^0+$/;

export async function handlePush(
  c: TriggerClient,
  ev: GitHubEvent,
  push: EventPush,
): Promise<string[]> {
  if (push.deleted || ZERO_SHA.test(push.after)) return [];
  const branch = push.ref.replace(/^refs\/(heads|tags)\//, '');
  const postsubmits = c.getConfig().jobs.postsubmits[`${ev.org}/${ev.repo}`] ?? [];
  const names: string[] = [];
  for (const job of postsubmits) {
    if (!(await postsubmitShouldRun(job, branch, () => push.changed_files))) continue;
    const refs = {
      org: ev.org,
      repo: ev.repo,
      repo_link: push.repo_link,
      base_ref: branch,
      base_sha: push.after,
      base_link: push.compare,
    };
    const name = prowJobName(ev.delivery, job.name, push.after);
    const pj = newProwJob(postsubmitSpec(job, refs), {
      name,
      now: c.now(),
      namespace: c.getConfig().prow.prowjob_namespace,
      labels: { ...job.labels, [Labels.eventGUID]: ev.delivery },
      annotations: { ...job.annotations },
    });
    await createOnce(c.store, pj);
    names.push(name);
  }
  return names;
}
