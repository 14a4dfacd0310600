// crier's failure comment, exactly as Prow writes it (pkg/github/report/report.go:
// parseIssueComments, createEntry, createComment). Pure: comments in, a plan out.
import { Labels, type ProwJob } from '@jetprow/schemas';

/** The tag that marks an issue comment as the test report (Prow's report.CommentTag). */
export const COMMENT_TAG = '<!-- test report -->';

/** Prow's plugins.AboutThisBot. */
export const ABOUT_THIS_BOT =
  'Instructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  If you have questions or suggestions related to my behavior, please file an issue against the [kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository. I understand the commands that are listed [here](https://go.k8s.io/bot-commands).';

/** An issue comment as the failure comment needs it. */
export interface IssueComment {
  id: number;
  user: string;
  body: string;
}

export interface ParsedComments {
  /** IDs of report comments to delete. */
  deletes: number[];
  /** Table rows the new report holds. */
  entries: string[];
  /** The report comment to edit in place; 0 when a new one is to be created. */
  updateId: number;
}

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** One table row: `context | sha | [link](url) | required | \`rerun\`` (Prow's createEntry). */
export function createEntry(pj: ProwJob): string {
  let required = 'unknown';
  if (pj.spec.type === 'presubmit') {
    const label = pj.metadata.labels?.[Labels.isOptional];
    const optional = label === undefined ? undefined : parseGoBool(label);
    if (optional !== undefined) required = String(!optional);
  }
  return [
    pj.spec.context ?? '',
    pj.spec.refs?.pulls?.[0]?.sha ?? '',
    `[link](${pj.status.url ?? ''})`,
    required,
    `\`${pj.spec.rerun_command ?? ''}\``,
  ].join(' | ');
}

/**
 * Prow's parseIssueComments: the bot's report comments (oldest first, as GitHub lists them) are
 * merged into one table; rows for contexts reported now are replaced by a row per job that failed.
 * All but the newest report comment are deleted; the newest is deleted too (so a fresh comment
 * notifies) when a failure row is added or no rows remain, else it is edited in place.
 */
export function parseIssueComments(
  pjs: ProwJob[],
  isBot: (login: string) => boolean,
  comments: IssueComment[],
): ParsedComments {
  const previous: number[] = [];
  let latest = 0;
  const entries: string[] = [];
  for (const ic of comments) {
    if (!isBot(ic.user) || !ic.body.includes(COMMENT_TAG)) continue;
    if (latest !== 0) previous.push(latest);
    latest = ic.id;
    let tracking = false;
    for (const raw of ic.body.split('\n')) {
      const line = raw.trim();
      if (line.startsWith('---')) tracking = true;
      else if (line.length === 0) tracking = false;
      else if (tracking) entries.push(line);
    }
  }
  const reported = new Set(pjs.map((pj) => pj.spec.context ?? ''));
  const kept: string[] = [];
  entries.forEach((entry, i) => {
    const name = entry.split(' | ')[0];
    // The newer row of a context wins; a context reported now replaces its old row.
    const newer = entries.some((other, j) => j > i && other.split(' | ')[0] === name);
    if (!newer && !reported.has(name ?? '')) kept.push(entry);
  });
  let createNew = false;
  for (const pj of pjs) {
    if (pj.status.state === 'failure') {
      kept.push(createEntry(pj));
      createNew = true;
    }
  }
  const deletes = [...previous];
  if ((createNew || kept.length === 0) && latest !== 0) {
    deletes.push(latest);
    latest = 0;
  }
  return { deletes, entries: kept, updateId: latest };
}

/**
 * Prow's createComment. `template` is `plank.report_templates` for the repo rendered with the
 * first job (undefined: no template configured, so no template section).
 */
export function createComment(pjs: ProwJob[], entries: string[], template?: string): string {
  const first = pjs[0];
  if (!first) return '';
  const author = first.spec.refs?.pulls?.[0]?.author ?? '';
  const plural = entries.length > 1 ? 's' : '';
  let lines =
    entries.length === 0
      ? [`@${author}: all tests **passed!**`, '']
      : [
          `@${author}: The following test${plural} **failed**, say \`/retest\` to rerun all failed tests or \`/retest-required\` to rerun all mandatory failed tests:`,
          '',
          'Test name | Commit | Details | Required | Rerun command',
          '--- | --- | --- | --- | ---',
        ];
  lines = [...lines, ...entries];
  if (template !== undefined) lines.push('', template);
  lines.push('', '<details>', '', ABOUT_THIS_BOT, '</details>', COMMENT_TAG);
  return lines.join('\n');
}
