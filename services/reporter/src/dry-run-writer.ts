// `--dry-run`: log each write instead of making it. The reporter still records what it
// "reported", so a dry run shows each state change once, as a real run would write it.
import type { Log } from '@jetprow/bus';
import type { GitHubWriter, WriteKind } from './github-writer.js';

const VERB: Record<WriteKind, string> = {
  status: 'create status',
  comment_create: 'create comment',
  comment_edit: 'edit comment',
  comment_delete: 'delete comment',
  label_add: 'add label',
  label_remove: 'remove label',
};

export function dryRunWriter(log: Log): GitHubWriter {
  const would = async (write: WriteKind, fields: object) => {
    log.info({ dryRun: true, write, ...fields }, `dry run: would ${VERB[write]}`);
  };
  return {
    createStatus: (s) => would('status', s),
    createComment: (issue, body) => would('comment_create', { ...issue, body }),
    editComment: (repo, id, body) => would('comment_edit', { ...repo, id, body }),
    deleteComment: (repo, id) => would('comment_delete', { ...repo, id }),
    addLabel: (issue, label) => would('label_add', { ...issue, label }),
    removeLabel: (issue, label) => would('label_remove', { ...issue, label }),
  };
}
