// Reads a request body whole, refusing more than `maxBytes`: up front from Content-Length, and by
// counting while reading (a chunked body has no Content-Length). Nothing is ever truncated.

/** GitHub caps webhook payloads at 25 MB. */
export const GITHUB_MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly limit: number;
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.limit = limit;
  }
}

export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
}

/** Throws BodyTooLargeError before reading when the declared length is already too big. */
export function checkContentLength(header: string | undefined, maxBytes: number): void {
  if (header === undefined || !/^\d+$/.test(header.trim())) return;
  if (Number(header.trim()) > maxBytes) throw new BodyTooLargeError(maxBytes);
}

export async function readBody(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      let step: Awaited<ReturnType<typeof reader.read>>;
      try {
        step = await reader.read();
      } catch (cause) {
        throw new BodyReadError('cannot read request body', { cause });
      }
      if (step.done) break;
      size += step.value.byteLength;
      if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
      chunks.push(step.value);
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, size);
}
