// crier's GitHub status rules (pkg/crier/reporters/github, pkg/config/config.go).
import type { ProwJob, ProwJobState } from '@jetprow/schemas';

export type GitHubStatusState = 'pending' | 'success' | 'failure' | 'error';

export function githubStateFor(state: ProwJobState | undefined): GitHubStatusState {
  switch (state) {
    case 'success':
      return 'success';
    case 'failure':
    case 'aborted':
      return 'failure';
    case 'error':
      return 'error';
    default:
      return 'pending'; // scheduling, triggered, pending
  }
}

const MAX_LEN = 140;
const DELIM = ' BaseSHA:';
const ELIDE = ' ... ';
const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');

function truncate(s: string, maxLen: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length <= maxLen) return s;
  const half = Math.trunc((maxLen - ELIDE.length) / 2);
  return (
    b.subarray(0, half).toString('utf8') + ELIDE + b.subarray(b.length - half).toString('utf8')
  );
}

/**
 * Prow's ContextDescriptionWithBaseSha: `<description> BaseSHA:<sha>`, the suffix left-padded with
 * U+2001 so it sits at a stable place, the description middle-truncated to fit 140. Lengths are
 * counted in UTF-8 bytes, as Go's len() does, so the padding is the same as Prow's.
 */
export function contextDescriptionWithBaseSha(description: string, baseSha: string): string {
  let suffix = '';
  if (baseSha) {
    suffix = DELIM + baseSha;
    if (byteLen(description + suffix) < MAX_LEN) {
      for (let i = 0; i < MAX_LEN - byteLen(description + suffix); i++) suffix = '\u2001' + suffix;
    }
  }
  return truncate(description, MAX_LEN - byteLen(suffix)) + suffix;
}

/** The SHA a job's status belongs on: the PR head for presubmits, the base for postsubmits. */
export function statusSha(pj: ProwJob): string | undefined {
  const refs = pj.spec.refs;
  if (!refs) return undefined;
  if (pj.spec.type === 'presubmit') return refs.pulls?.[0]?.sha;
  return refs.base_sha;
}
