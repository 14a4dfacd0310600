import { pino, type Logger } from 'pino';
import type { ProwJob } from '@jetprow/schemas';

export type { Logger };

/** JSON logs on stderr (stdout stays free for command output), bound to the service name. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service } }, pino.destination(2));
}

/** The standard field set for a job's log lines (Prow's ProwJobFields). */
export function jobFields(pj: ProwJob): Record<string, unknown> {
  const refs = pj.spec.refs;
  return {
    prowjob: pj.metadata.name,
    job: pj.spec.job,
    type: pj.spec.type,
    state: pj.status.state,
    ...(refs ? { org: refs.org, repo: refs.repo } : {}),
    ...(refs?.pulls?.[0] ? { pr: refs.pulls[0].number, sha: refs.pulls[0].sha } : {}),
  };
}
