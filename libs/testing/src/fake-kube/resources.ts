// The resources the fake apiserver serves, and its discovery documents. ProwJobs are described by
// Prow's own CRD (names, printer columns, no status subresource); Pods are core/v1 with the
// `status` and `log` subresources.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../processes.js';

export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
}

export interface ResourceDef {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  /** Pods have one: writes to the main resource keep status. Prow's CRD has `subresources: {}`. */
  statusSubresource: boolean;
  /** PUT without metadata.resourceVersion: allowed for Pods, 422 for custom resources. */
  unconditionalUpdate: boolean;
  printerColumns: PrinterColumn[];
}

export const CRD_PATH = join(repoRoot, 'fixtures/prow/prowjob_customresourcedefinition.yaml');

interface CrdVersion {
  name: string;
  schema: { openAPIV3Schema: Record<string, unknown> };
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}
export interface Crd {
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames?: string[];
    };
    versions: CrdVersion[];
  };
}

let crd: Crd | undefined;

/** Prow's ProwJob CRD, read from the repository's fixtures/ once per process. */
export function prowJobCrd(): Crd {
  crd ??= parse(readFileSync(CRD_PATH, 'utf8')) as Crd;
  return crd;
}

export function prowJobCrdVersion(): CrdVersion {
  const v = prowJobCrd().spec.versions.find((x) => x.name === 'v1');
  if (!v) throw new Error(`${CRD_PATH} has no v1 version`);
  return v;
}

function prowJobs(): ResourceDef {
  const { group, names } = prowJobCrd().spec;
  const v1 = prowJobCrdVersion();
  return {
    group,
    version: 'v1',
    kind: names.kind,
    listKind: names.listKind,
    plural: names.plural,
    singular: names.singular,
    shortNames: names.shortNames ?? [],
    statusSubresource: v1.subresources?.status !== undefined,
    unconditionalUpdate: false,
    printerColumns: v1.additionalPrinterColumns ?? [],
  };
}

const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  listKind: 'PodList',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  statusSubresource: true,
  unconditionalUpdate: true,
  printerColumns: [],
};

let all: ResourceDef[] | undefined;
export function resources(): ResourceDef[] {
  all ??= [pods, prowJobs()];
  return all;
}

export const apiVersionOf = (d: ResourceDef): string =>
  d.group ? `${d.group}/${d.version}` : d.version;

/** `pods`, `prowjobs.prow.k8s.io`: the group-qualified name used in error messages. */
export const qualifiedName = (d: ResourceDef): string =>
  d.group ? `${d.plural}.${d.group}` : d.plural;

/** The resource a collection path prefix (`api/v1` or `apis/<group>/<version>`) + plural names. */
export function findResource(prefix: string, plural: string): ResourceDef | undefined {
  return resources().find(
    (d) => `${d.group ? `apis/${d.group}` : 'api'}/${d.version}` === prefix && d.plural === plural,
  );
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resourceList(groupVersion: string, defs: ResourceDef[]): Record<string, unknown> {
  const list: Record<string, unknown>[] = [];
  for (const d of defs) {
    list.push({
      name: d.plural,
      singularName: d.singular,
      namespaced: true,
      kind: d.kind,
      verbs: VERBS,
      ...(d.shortNames.length ? { shortNames: d.shortNames } : {}),
    });
    if (d.statusSubresource) {
      list.push({
        name: `${d.plural}/status`,
        singularName: '',
        namespaced: true,
        kind: d.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (d.kind === 'Pod') {
      list.push({
        name: 'pods/log',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: list };
}

/** Legacy discovery (kubectl falls back to it from aggregated discovery). */
export function discovery(path: string): Record<string, unknown> | undefined {
  const defs = resources();
  const groups = [...new Set(defs.filter((d) => d.group).map((d) => d.group))];
  switch (path) {
    case '/version':
      return {
        major: '1',
        minor: '34',
        gitVersion: 'v1.34.0-jetprow-fake',
        platform: 'linux/amd64',
      };
    case '/api':
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    case '/apis':
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: groups.map((name) => {
          const gv = { groupVersion: `${name}/v1`, version: 'v1' };
          return { name, versions: [gv], preferredVersion: gv };
        }),
      };
    case '/api/v1':
      return resourceList(
        'v1',
        defs.filter((d) => !d.group),
      );
  }
  for (const g of groups) {
    if (path === `/apis/${g}`) {
      const gv = { groupVersion: `${g}/v1`, version: 'v1' };
      return { kind: 'APIGroup', apiVersion: 'v1', name: g, versions: [gv], preferredVersion: gv };
    }
    if (path === `/apis/${g}/v1`)
      return resourceList(
        `${g}/v1`,
        defs.filter((d) => d.group === g),
      );
  }
  return undefined;
}
