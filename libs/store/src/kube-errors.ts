// The apiserver's answer inside a client-node error. client-node 1.4 throws ApiException with
// `code` (the HTTP status) and `body` (the metav1.Status as JSON text); its message is generic
// ("Unknown API Status Code!"), so errors are classified by code and Status.reason, never by text.
import { STATUS_CODES } from 'node:http';
import { ApiException } from '@kubernetes/client-node';

export interface KubeStatus {
  code: number;
  /** metav1.StatusReason: NotFound, AlreadyExists, Conflict, Invalid, Expired, … ('' if none). */
  reason: string;
  message: string;
}

function parseBody(body: unknown): { reason?: unknown; message?: unknown } {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as { reason?: unknown; message?: unknown };
    } catch {
      return { message: body };
    }
  }
  return body && typeof body === 'object' ? (body as { reason?: unknown; message?: unknown }) : {};
}

/** The Status of a failed API call; undefined when the error is not an apiserver answer. */
export function kubeStatus(err: unknown): KubeStatus | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const body = parseBody(err.body);
  return {
    code: err.code,
    reason: typeof body.reason === 'string' ? body.reason : '',
    message: typeof body.message === 'string' ? body.message : '',
  };
}

export const isStatus = (err: unknown, code: number, reason?: string): boolean => {
  const s = kubeStatus(err);
  return s !== undefined && s.code === code && (reason === undefined || s.reason === reason);
};

/** A short description of a failed call for error messages: `409 Conflict: …`. */
export function describeKubeError(err: unknown): string {
  const s = kubeStatus(err);
  // Some answers (401, 403) reach client-node without a Status body: name the HTTP status then.
  if (s)
    return `${s.code} ${s.reason || STATUS_CODES[s.code] || 'error'}${s.message ? `: ${s.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
