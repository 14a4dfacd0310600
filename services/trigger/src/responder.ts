// GitHub writes trigger wants done (help and welcome comments, ok-to-test labels, pruning its old
// help comments). Only reporter
// writes to GitHub (invariant 4), so trigger hands these over as write intents.
import { createHash } from 'node:crypto';
import { publishJson, type Bus, type Log } from '@jetprow/bus';
import { intentSubject } from '@jetprow/core';
import type { WriteIntent as WriteIntentMessage } from '@jetprow/schemas';

/** A write intent before it gets its id. */
export type WriteIntent =
  | { kind: 'comment'; org: string; repo: string; number: number; body: string }
  | { kind: 'add-label' | 'remove-label'; org: string; repo: string; number: number; label: string }
  | { kind: 'prune-comments'; org: string; repo: string; number: number; body_contains: string[] };

export interface Responder {
  send(intent: WriteIntent): Promise<void>;
}

/** The intent's id: the delivery it answers plus what it writes, so handling an event twice asks once. */
export function intentId(delivery: string, intent: WriteIntent): string {
  return createHash('sha256')
    .update(`${delivery}\x00${JSON.stringify(intent)}`)
    .digest('hex')
    .slice(0, 32);
}

/** Publishes intents to `prow.intents.<org>.<repo>` for reporter, the one GitHub writer. */
export function busResponder(bus: Bus, delivery: string, log: Log): Responder {
  return {
    async send(intent) {
      const message: WriteIntentMessage = { ...intent, id: intentId(delivery, intent) };
      await publishJson(bus.js, intentSubject(intent.org, intent.repo), message, {
        msgID: message.id,
        delivery,
      });
      log.info(
        {
          intent: { kind: intent.kind, org: intent.org, repo: intent.repo, number: intent.number },
          id: message.id,
        },
        'write intent published',
      );
    },
  };
}

/** Collects intents (tests). */
export function collectingResponder(): Responder & { intents: WriteIntent[] } {
  const intents: WriteIntent[] = [];
  return {
    intents,
    async send(intent) {
      intents.push(intent);
    },
  };
}

/** plugins.AboutThisBotWithoutCommands */
export const ABOUT_THIS_BOT =
  'Instructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  If you have questions or suggestions related to my behavior, please file an issue against the [kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository.';

/** plugins.FormatResponseRaw: quote the triggering comment and answer its author. */
export function formatResponseRaw(
  body: string,
  url: string,
  user: string,
  response: string,
): string {
  const quoted = body
    .split('\n')
    .map((l) => `>${l}`)
    .join('\n');
  return `@${user}: ${response}\n\n<details>\n\nIn response to [this](${url}):\n\n${quoted}\n\n\n${ABOUT_THIS_BOT}\n</details>`;
}
