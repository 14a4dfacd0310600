// metav1.Status failures with the apiserver's codes, reasons and message shapes
// (k8s.io/apimachinery/pkg/api/errors). Thrown by the fake's state, answered by its server.
import { qualifiedName, type ResourceDef } from './resources.js';
import type { Cause } from './validation.js';

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; causes?: Cause[] };
  code: number;
}

export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: KubeStatus;
  constructor(code: number, reason: string, message: string, details?: KubeStatus['details']) {
    super(message);
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      code,
      ...(details ? { details } : {}),
    };
  }
}

const detailsOf = (def: ResourceDef, name: string) => ({
  name,
  group: def.group,
  kind: def.plural,
});

export const notFound = (def: ResourceDef, name: string): StatusError =>
  new StatusError(
    404,
    'NotFound',
    `${qualifiedName(def)} "${name}" not found`,
    detailsOf(def, name),
  );

export const alreadyExists = (def: ResourceDef, name: string): StatusError =>
  new StatusError(
    409,
    'AlreadyExists',
    `${qualifiedName(def)} "${name}" already exists`,
    detailsOf(def, name),
  );

export const conflict = (
  def: ResourceDef,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): StatusError =>
  new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(def)} "${name}": ${why}`,
    detailsOf(def, name),
  );

export function invalid(def: ResourceDef, name: string, causes: Cause[]): StatusError {
  const kind = def.group ? `${def.kind}.${def.group}` : def.kind;
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${text}`, {
    ...detailsOf(def, name),
    kind: def.kind,
    causes,
  });
}

export const badRequest = (message: string): StatusError =>
  new StatusError(400, 'BadRequest', message);

/** A watch (or list continuation) from a resourceVersion older than the kept history. */
export const expired = (requested: number, oldest: number): StatusError =>
  new StatusError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);

export const methodNotAllowed = (method: string): StatusError =>
  new StatusError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );

export const unsupportedMediaType = (type: string, accepted: string[]): StatusError =>
  new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format (${type}) - accepted media types include: ${accepted.join(', ')}`,
  );

export const serverNotFound = (): StatusError =>
  new StatusError(404, 'NotFound', 'the server could not find the requested resource');
