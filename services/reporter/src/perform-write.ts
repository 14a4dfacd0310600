// One GitHub write (a status, comment or label) and what its failure means
// (classify-write-error.ts): done, impossible for good ("gone": the PR, comment or commit is not
// there, or the commit has reached its status cap), or an error the consumer acts on:
// RetryLaterError (rate limited), TerminalError (GitHub refuses it as made), or
// GitHubWriteFailedError (transient: retried with the consumer's back-off, through the budget).
import { RetryLaterError, TerminalError, type Log } from '@jetprow/bus';
import { classifyWriteError } from './classify-write-error.js';

export type WriteOutcome = 'success' | 'gone' | 'rate_limited' | 'retry' | 'rejected';

export class GitHubWriteFailedError extends Error {
  override readonly name = 'GitHubWriteFailedError';
}

export interface PerformWrite {
  /** Human description for logs and errors, e.g. `create comment on o/r#1`. */
  what: string;
  log: Log;
  now: () => number;
  onOutcome?(outcome: WriteOutcome): void;
}

export async function performWrite(
  p: PerformWrite,
  write: () => Promise<void>,
): Promise<'done' | 'gone'> {
  try {
    await write();
    p.onOutcome?.('success');
    return 'done';
  } catch (err) {
    const failure = classifyWriteError(err, p.now());
    const fields = { err: String(err), cause: String((err as Error).cause ?? '') };
    switch (failure.kind) {
      case 'gone':
        p.onOutcome?.('gone');
        p.log.info(fields, `${p.what}: can never be written (gone); done`);
        return 'gone';
      case 'rate-limited':
        p.onOutcome?.('rate_limited');
        throw new RetryLaterError(`${p.what}: rate limited`, failure.delayMs, { cause: err });
      case 'rejected':
        p.onOutcome?.('rejected');
        p.log.error(fields, `${p.what}: rejected by GitHub`);
        throw new TerminalError(`${p.what}: rejected by GitHub`, { cause: err });
      case 'retry':
        p.onOutcome?.('retry');
        throw new GitHubWriteFailedError(p.what, { cause: err });
    }
  }
}
