// GitHub writes trigger wants done (help and welcome comments, ok-to-test labels). Only reporter
// writes to GitHub (invariant 4), so trigger hands these over as write intents.
import type { Log } from '@jetprow/bus';

export type WriteIntent =
  | { kind: 'comment'; org: string; repo: string; number: number; body: string }
  | { kind: 'add-label' | 'remove-label'; org: string; repo: string; number: number; label: string };

export interface Responder {
  send(intent: WriteIntent): Promise<void>;
}

/** Records intents in the log. Executing them through reporter is the job of the write-intent issue. */
export function loggingResponder(log: Log): Responder {
  return {
    async send(intent) {
      log.info({ intent }, 'GitHub write intent (not executed: write intents are not wired to reporter yet)');
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

/** plugins.FormatResponseRaw: quote the triggering comment and answer its author. */
export function formatResponseRaw(body: string, url: string, user: string, response: string): string {
  const quoted = body
    .split('\n')
    .map((l) => `>${l}`)
    .join('\n');
  return `@${user}: ${response}\n\n<details>\n\nIn response to [this](${url}):\n\n${quoted}\n\n\nInstructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  If you have questions or suggestions related to my behavior, please file an issue against the [kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository.\n</details>`;
}
