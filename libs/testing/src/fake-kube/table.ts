// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), which kubectl
// asks for on `get`: ProwJobs get the printer columns of Prow's CRD, Pods kubectl's usual ones.
import type { PrinterColumn, ResourceDef } from './resources.js';

type Json = Record<string, unknown>;

export const wantsTable = (accept: string | undefined): boolean => /as=Table/.test(accept ?? '');

/** kubectl's HumanDuration, to the precision it shows. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** The JSONPath subset CRD printer columns use: `.a.b`, `.a[*].b`, `.a[0]`. */
export function jsonPath(obj: unknown, path: string): unknown[] {
  let values: unknown[] = [obj];
  for (const seg of path.replace(/^\./, '').split('.')) {
    const m = /^([^[\]]*)(?:\[(\*|\d+)\])?$/.exec(seg);
    if (!m) return [];
    values = values
      .map((v) => (m[1] ? (v as Json | undefined)?.[m[1]] : v))
      .filter((v) => v !== undefined);
    if (m[2] === '*') values = values.flatMap((v) => (Array.isArray(v) ? v : []));
    else if (m[2] !== undefined)
      values = values
        .map((v) => (v as unknown[] | undefined)?.[Number(m[2])])
        .filter((v) => v !== undefined);
  }
  return values;
}

function cell(col: PrinterColumn, obj: Json, now: number): unknown {
  const values = jsonPath(obj, col.jsonPath);
  if (values.length === 0) return null;
  if (col.type === 'date') return humanDuration(now - Date.parse(String(values[0])));
  return values.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(',');
}

const metaOf = (o: Json): Json => (o.metadata ?? {}) as Json;
const age = (o: Json, now: number): string =>
  humanDuration(now - Date.parse(String(metaOf(o).creationTimestamp)));

function podCells(pod: Json, now: number): unknown[] {
  const spec = (pod.spec ?? {}) as { containers?: unknown[] };
  const status = (pod.status ?? {}) as {
    phase?: string;
    reason?: string;
    containerStatuses?: { ready?: boolean; restartCount?: number }[];
  };
  const cs = status.containerStatuses ?? [];
  const ready = cs.filter((c) => c.ready).length;
  const restarts = cs.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const phase = metaOf(pod).deletionTimestamp
    ? 'Terminating'
    : (status.reason ?? status.phase ?? 'Pending');
  return [
    metaOf(pod).name,
    `${ready}/${spec.containers?.length ?? 0}`,
    phase,
    restarts,
    age(pod, now),
  ];
}

const NAME_COLUMN = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
};

export function table(
  def: ResourceDef,
  objects: Json[],
  resourceVersion: string,
  now = Date.now(),
): Json {
  const isPod = def.kind === 'Pod';
  const columns = isPod
    ? [
        NAME_COLUMN,
        {
          name: 'Ready',
          type: 'string',
          format: '',
          description: 'The aggregate readiness state of this pod for accepting traffic.',
          priority: 0,
        },
        {
          name: 'Status',
          type: 'string',
          format: '',
          description: 'The aggregate status of the containers in this pod.',
          priority: 0,
        },
        {
          name: 'Restarts',
          type: 'string',
          format: '',
          description: 'The number of times the containers in this pod have been restarted.',
          priority: 0,
        },
        { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp', priority: 0 },
      ]
    : [
        NAME_COLUMN,
        ...def.printerColumns.map((c) => ({
          name: c.name,
          type: c.type === 'date' ? 'date' : c.type,
          format: '',
          description: c.description ?? '',
          priority: c.priority ?? 0,
        })),
      ];
  const rows = objects.map((o) => ({
    cells: isPod
      ? podCells(o, now)
      : [metaOf(o).name, ...def.printerColumns.map((c) => cell(c, o, now))],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: metaOf(o) },
  }));
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns,
    rows,
  };
}
