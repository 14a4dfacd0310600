// Prow's webhook validation (pkg/github/webhooks.go ValidateWebhook, pkg/github/hmac.go
// ValidatePayload), in Prow's order and with Prow's status codes and texts. Pure apart from the
// signature check, which is @octokit/webhooks' constant-time HMAC-SHA256 over the raw body.
import { Webhooks } from '@octokit/webhooks';
import { tokensFor, type HmacSecrets } from './secret.js';

export type RejectReason =
  | 'method'
  | 'missing-event'
  | 'missing-delivery'
  | 'missing-signature'
  | 'content-type'
  | 'too-large'
  | 'unreadable-body'
  | 'invalid-payload'
  | 'invalid-signature'
  | 'no-secret'
  | 'signature-mismatch';

export interface Rejection {
  ok: false;
  status: 400 | 403 | 405 | 413 | 500;
  reason: RejectReason;
  /** The response body, as Go's http.Error writes it (text plus a newline). */
  body: string;
}

const STATUS_TEXT = {
  400: 'Bad Request',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
} as const;

export function reject(
  status: Rejection['status'],
  reason: RejectReason,
  message?: string,
): Rejection {
  // Prow's 405 text is the one without a colon: "405 Method not allowed".
  const text =
    message === undefined
      ? `${status} Method not allowed`
      : `${status} ${STATUS_TEXT[status]}: ${message}`;
  return { ok: false, status, reason, body: `${text}\n` };
}

export interface WebhookHeaders {
  ok: true;
  event: string;
  delivery: string;
  signature: string;
}

/**
 * Everything ValidateWebhook checks before reading the body. `header` returns '' or undefined
 * when a header is absent.
 */
export function checkHeaders(
  method: string,
  header: (name: string) => string | undefined,
): WebhookHeaders | Rejection {
  if (method !== 'POST') return reject(405, 'method');
  const event = header('x-github-event') ?? '';
  if (event === '') return reject(400, 'missing-event', 'Missing X-GitHub-Event Header');
  const delivery = header('x-github-delivery') ?? '';
  if (delivery === '') return reject(400, 'missing-delivery', 'Missing X-GitHub-Delivery Header');
  const signature = header('x-hub-signature-256') ?? '';
  if (signature === '') return reject(403, 'missing-signature', 'Missing X-Hub-Signature-256');
  if (header('content-type') !== 'application/json') {
    return reject(
      400,
      'content-type',
      'Hook only accepts content-type: application/json - please reconfigure this hook on GitHub',
    );
  }
  return { ok: true, event, delivery, signature };
}

export interface VerifiedPayload {
  ok: true;
  /** The body as text (exactly the signed bytes). */
  text: string;
  /** The parsed body. */
  payload: unknown;
  /** The (signed) `org/repo` or org the secret was chosen for. */
  orgRepo: string;
}

const forbidden = (reason: RejectReason, message: string) =>
  reject(403, reason, `Invalid X-Hub-Signature-256 - ${message}`);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SIGNATURE = /^sha256=((?:[0-9a-fA-F]{2})*)$/;

type Obj = Record<string, unknown>;
const isObjOrNull = (v: unknown): v is Obj | null | undefined =>
  v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
const isStrOrNull = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || typeof v === 'string';

/**
 * Prow's GenericEvent decode: the fields used to choose a secret must have the right JSON types
 * (Go's json.Unmarshal fails otherwise). Returns the org/repo key, or undefined if it is invalid.
 */
function orgRepoOf(payload: unknown): string | undefined {
  if (!isObjOrNull(payload)) return undefined;
  const repo = payload?.repository;
  const org = payload?.organization;
  if (!isObjOrNull(repo) || !isObjOrNull(org) || !isObjOrNull(payload?.sender)) return undefined;
  const fullName = repo?.full_name;
  const login = org?.login;
  if (!isStrOrNull(fullName) || !isStrOrNull(login)) return undefined;
  return fullName || login || '';
}

async function anyTokenSigned(
  text: string,
  signature: string,
  tokens: readonly string[],
): Promise<boolean> {
  let matched = false;
  // Every token is tried (no early exit), so timing does not reveal which one matched.
  for (const secret of tokens) {
    if (secret === '') continue;
    if (await new Webhooks({ secret }).verify(text, signature)) matched = true;
  }
  return matched;
}

/** ValidatePayload: JSON, signature syntax, the secret level for the payload's repo, the HMAC. */
export async function verifyPayload(
  body: Uint8Array,
  signature: string,
  secrets: HmacSecrets,
): Promise<VerifiedPayload | Rejection> {
  let text: string;
  let payload: unknown;
  try {
    // GitHub sends UTF-8; anything else could not round-trip to the signed bytes.
    text = utf8.decode(body);
    payload = JSON.parse(text);
  } catch {
    return forbidden('invalid-payload', 'invalid payload');
  }
  const orgRepo = orgRepoOf(payload);
  if (orgRepo === undefined) return forbidden('invalid-payload', 'invalid payload');

  const sig = SIGNATURE.exec(signature);
  if (!sig) return forbidden('invalid-signature', 'invalid signature');

  const tokens = tokensFor(secrets, orgRepo);
  if (!tokens) return forbidden('no-secret', 'failed to get an appropriate hmac secret');

  // Go's hex.DecodeString accepts either case; @octokit/webhooks compares lowercase hex.
  const normalized = `sha256=${(sig[1] ?? '').toLowerCase()}`;
  if (!(await anyTokenSigned(text, normalized, tokens))) {
    const message = `misconfigured webhook secret from organization/repo: ${orgRepo}`;
    return forbidden('signature-mismatch', message);
  }
  return { ok: true, text, payload, orgRepo };
}
