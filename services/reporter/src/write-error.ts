// A failed GitHub write, reduced to what the reporter decides on: the HTTP status, the response
// headers (rate-limit information) and GitHub's JSON error body. Writers translate their client's
// errors into this class so the decision does not depend on one HTTP client's error shape.

export interface GitHubWriteErrorDetails {
  /** HTTP status; undefined when no answer came (network failure, timeout). */
  status?: number;
  /** Response headers, lower-case names. */
  headers?: Record<string, string | undefined>;
  /** GitHub's error body: `{ message, errors?: [{ resource, code, field, message }], ... }`. */
  body?: unknown;
}

export class GitHubWriteError extends Error {
  override readonly name = 'GitHubWriteError';
  readonly status: number | undefined;
  readonly headers: Record<string, string | undefined>;
  readonly body: unknown;
  constructor(message: string, details: GitHubWriteErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.status = details.status;
    this.headers = details.headers ?? {};
    this.body = details.body;
  }
}

/** Reads an unknown header bag (fetch Headers-like records) into lower-case string values. */
export function normalizeHeaders(headers: unknown): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = String(v);
  }
  return out;
}
