// The error taxonomy consumers act on (CONVENTIONS 10): terminal errors end a message (`term`),
// anything else is retried later (`nak` with a delay). Never classify by message text.
import { SchemaError } from '@jetprow/schemas';

/** Retrying cannot help: bad payload, schema failure, a referenced thing that can never exist. */
export class TerminalError extends Error {
  override readonly name = 'TerminalError';
}

/** Try again after `delayMs` (e.g. a rate limit reset, a dependency that is not ready). */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
  readonly delayMs: number;
  constructor(message: string, delayMs: number, options?: ErrorOptions) {
    super(message, options);
    this.delayMs = delayMs;
  }
}

export function isTerminal(err: unknown): boolean {
  return err instanceof TerminalError || err instanceof SchemaError;
}

/** Redelivery back-off: 1 s, 2 s, 4 s … capped at 60 s, by delivery count. */
export function backoffMs(deliveryCount: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, deliveryCount - 1));
}
