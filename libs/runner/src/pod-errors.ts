// The apiserver's answer inside a client-node error: ApiException's `code` and the metav1.Status
// in its `body` (JSON text). Classified by code and Status.reason, never by message text. (The
// same reading as @jetprow/store's kube-errors.ts; the runner does not depend on the store.)
import { STATUS_CODES } from 'node:http';
import { ApiException } from '@kubernetes/client-node';

export interface ApiStatus {
  code: number;
  reason: string;
  message: string;
}

export function apiStatus(err: unknown): ApiStatus | undefined {
  if (!(err instanceof ApiException)) return undefined;
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = { message: body };
    }
  }
  const b = (body && typeof body === 'object' ? body : {}) as {
    reason?: unknown;
    message?: unknown;
  };
  return {
    code: err.code,
    reason: typeof b.reason === 'string' && b.reason ? b.reason : (STATUS_CODES[err.code] ?? ''),
    message: typeof b.message === 'string' ? b.message : '',
  };
}

export function describeApiError(err: unknown): string {
  const s = apiStatus(err);
  if (s) return `${s.code} ${s.reason}${s.message ? `: ${s.message}` : ''}`;
  return err instanceof Error ? err.message : String(err);
}
