// Executes one write intent (trigger's comments and labels) exactly once: the ledger marks it
// begun before the write and done after; a redelivery finds "done" and does nothing, or "begun"
// (a crash mid-write) and first looks on GitHub whether the comment is already there. Label
// writes need no look: adding a label twice changes nothing, removing a missing one is a 404.
import type { Log } from '@jetprow/bus';
import type { WriteIntent } from '@jetprow/schemas';
import type { GitHubReads, GitHubWriter, WriteKind } from './github-writer.js';
import { performWrite, type WriteOutcome } from './perform-write.js';
import type { WriteLedger } from './write-ledger.js';

export interface IntentDeps {
  writer: GitHubWriter;
  reads: GitHubReads;
  ledger: WriteLedger;
  /** Waits for a write slot of the org's budget. */
  pace(org: string): Promise<void>;
  log: Log;
  now: () => number;
  onWrite?(kind: WriteKind, outcome: WriteOutcome): void;
}

export type IntentResult = 'written' | 'already-done' | 'found-on-github' | 'gone';

const normalize = (body: string) => body.replace(/\r\n/g, '\n').trimEnd();

export async function executeIntent(deps: IntentDeps, intent: WriteIntent): Promise<IntentResult> {
  const key = `intent/${intent.id}`;
  const issue = { org: intent.org, repo: intent.repo, number: intent.number };
  const state = await deps.ledger.state(key, intent.kind);
  if (state === 'done') return 'already-done';
  if (state === 'begun' && intent.kind === 'comment') {
    const bot = await deps.reads.botLogin();
    const comments = await deps.reads.listComments(issue);
    if (comments.some((c) => c.user === bot && normalize(c.body) === normalize(intent.body))) {
      await deps.ledger.done(key, intent.kind);
      return 'found-on-github';
    }
  }
  await deps.pace(intent.org);
  await deps.ledger.begin(key, intent.kind);
  const log = deps.log.child({
    intent: intent.id,
    org: intent.org,
    repo: intent.repo,
    number: intent.number,
  });
  const on = (kind: WriteKind) => (o: WriteOutcome) => deps.onWrite?.(kind, o);
  const ref = `${intent.org}/${intent.repo}#${intent.number}`;
  let result: 'done' | 'gone' = 'done';
  switch (intent.kind) {
    case 'comment':
      result = await performWrite(
        { what: `create comment on ${ref}`, log, now: deps.now, onOutcome: on('comment_create') },
        () => deps.writer.createComment(issue, intent.body),
      );
      break;
    case 'add-label':
      result = await performWrite(
        {
          what: `add label ${intent.label} to ${ref}`,
          log,
          now: deps.now,
          onOutcome: on('label_add'),
        },
        () => deps.writer.addLabel(issue, intent.label),
      );
      break;
    case 'remove-label':
      result = await performWrite(
        {
          what: `remove label ${intent.label} from ${ref}`,
          log,
          now: deps.now,
          onOutcome: on('label_remove'),
        },
        () => deps.writer.removeLabel(issue, intent.label),
      );
      break;
    case 'prune-comments': {
      // Prow's comment pruner: delete the bot's own comments that contain any of the markers.
      // Deleting an already-deleted comment is a 404 ("gone"), so a redelivery is harmless.
      const bot = await deps.reads.botLogin();
      const comments = await deps.reads.listComments(issue);
      const doomed = comments.filter(
        (c) => c.user === bot && intent.body_contains.some((m) => c.body.includes(m)),
      );
      for (const c of doomed) {
        if (c !== doomed[0]) await deps.pace(intent.org);
        await performWrite(
          {
            what: `delete comment ${c.id} on ${ref}`,
            log,
            now: deps.now,
            onOutcome: on('comment_delete'),
          },
          () => deps.writer.deleteComment({ org: intent.org, repo: intent.repo }, c.id),
        );
      }
      break;
    }
    default: {
      const unknown: never = intent;
      throw new Error(`unknown write intent kind ${JSON.stringify(unknown)}`);
    }
  }
  await deps.ledger.done(key, intent.kind);
  return result === 'gone' ? 'gone' : 'written';
}
