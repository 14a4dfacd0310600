// What reporter consumes from PROW_INTENTS (`prow.intents.<org>.<repo>`, durable
// reporter-intents): the write intents other services publish (trigger's comments and labels),
// and its own pr-report nudges (a PR's comment has pending reports, comment-target.ts). So one
// queue holds every GitHub write reporter owes besides statuses.
//
// An intent is executed once (writeOnce): a redelivery finds it done and does nothing, or begun
// (a crash mid-write) and first looks on GitHub whether the comment is already there. Labels need
// no look: adding one twice changes nothing, removing a missing one is a 404.
import Type from 'typebox';
import { publishJson, type Bus } from '@jetprow/bus';
import { intentSubject } from '@jetprow/core';
import { decoder, WriteIntent } from '@jetprow/schemas';
import type { IssueRef, WriteKind } from './github.js';
import { kvKey } from './kv-key.js';
import { write, writeOnce, type Runtime } from './runtime.js';

export const PrReportNudge = Type.Object({
  id: Type.String({ minLength: 1 }),
  kind: Type.Literal('pr-report'),
  org: Type.String(),
  repo: Type.String(),
  number: Type.Integer(),
});
export type PrReportNudge = Type.Static<typeof PrReportNudge>;

export const ReporterIntent = Type.Union([WriteIntent, PrReportNudge]);
export type ReporterIntent = Type.Static<typeof ReporterIntent>;

export const decodeReporterIntent = decoder('reporter intent', ReporterIntent);

/**
 * Publishes the nudge for the queue record's `revision` that holds the work: the msg-id makes a
 * repeated publish (a retried handler) one message, while new work always gets a new nudge.
 */
export async function publishPrReport(bus: Bus, pr: IssueRef, revision: number): Promise<void> {
  const id = `pr-report/${kvKey(pr.org, pr.repo, pr.number)}@${revision}`;
  const nudge: PrReportNudge = { id, kind: 'pr-report', ...pr };
  await publishJson(bus.js, intentSubject(pr.org, pr.repo), nudge, { msgID: id });
}

export type IntentResult = 'written' | 'already-done' | 'found-on-github' | 'gone';

const normalize = (body: string) => body.replace(/\r\n/g, '\n').trimEnd();

export async function executeIntent(rt: Runtime, intent: WriteIntent): Promise<IntentResult> {
  const issue = { org: intent.org, repo: intent.repo, number: intent.number };
  const ref = `${intent.org}/${intent.repo}#${intent.number}`;
  const log = rt.log.child({ intent: intent.id, ...issue });
  const op = (kind: WriteKind, what: string, call: () => Promise<void>) =>
    write(rt, { kind, what, log }, call);
  const botComments = async () => {
    const bot = await rt.reads.botLogin();
    return (await rt.reads.listComments(issue)).filter((c) => c.user === bot);
  };
  // Only a comment needs a look on GitHub: a label added twice changes nothing.
  const body = intent.kind === 'comment' ? normalize(intent.body) : undefined;
  const landed =
    body === undefined
      ? undefined
      : async () => (await botComments()).some((c) => normalize(c.body) === body);
  const made = await writeOnce(
    rt,
    { key: `intent/${intent.id}`, what: intent.kind },
    { landed, before: () => rt.pace(intent.org) },
    async () => {
      switch (intent.kind) {
        case 'comment':
          return op('comment_create', `create comment on ${ref}`, () =>
            rt.writer.createComment(issue, intent.body),
          );
        case 'add-label':
          return op('label_add', `add label ${intent.label} to ${ref}`, () =>
            rt.writer.addLabel(issue, intent.label),
          );
        case 'remove-label':
          return op('label_remove', `remove label ${intent.label} from ${ref}`, () =>
            rt.writer.removeLabel(issue, intent.label),
          );
        case 'prune-comments': {
          // Prow's comment pruner: delete the bot's own comments that contain any of the markers.
          // Deleting an already-deleted comment is a 404 ("gone"), so a redelivery is harmless.
          const doomed = (await botComments()).filter((c) =>
            intent.body_contains.some((m) => c.body.includes(m)),
          );
          for (const c of doomed) {
            if (c !== doomed[0]) await rt.pace(intent.org);
            await op('comment_delete', `delete comment ${c.id} on ${ref}`, () =>
              rt.writer.deleteComment({ org: intent.org, repo: intent.repo }, c.id),
            );
          }
          return 'done';
        }
        default: {
          const unknown: never = intent;
          throw new Error(`unknown write intent kind ${JSON.stringify(unknown)}`);
        }
      }
    },
  );
  const results = { already: 'already-done', landed: 'found-on-github', done: 'written' } as const;
  return made === 'gone' ? 'gone' : results[made];
}
