// The fake apiserver's storage: objects by resource/namespace/name, one global resourceVersion
// counter (etcd's revision), the event history a watch resumes from (older than the history:
// 410 Expired), optimistic concurrency, validation of every write, and test hooks: the kubelet
// (moving Pods through phases), pod logs, injected failures, and a readable mutation log
// (`create prowjobs default/x`) in the way the fake GitHub keeps one.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { fieldMatcher } from './field-selector.js';
import { compileSelector } from './label-selector.js';
import { mergePatch } from './merge-patch.js';
import { kubeTime } from './kubelet.js';
import { defaultPod, podSpecChangeProblem } from './pod-defaults.js';
import { apiVersionOf, resources, type ResourceDef } from './resources.js';
import { StatusError, alreadyExists, badRequest, conflict, invalid, notFound } from './status.js';
import { pruneProwJob, validateObject } from './validation.js';

export type Json = Record<string, unknown>;
type Meta = Json & {
  name?: string;
  namespace?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
};

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoredEvent {
  type: EventType;
  def: ResourceDef;
  namespace: string;
  /** The object after the change (for DELETED: its last state, at the deletion's version). */
  object: Json;
  /** The object before the change (MODIFIED, DELETED). */
  previous?: Json;
  rv: number;
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** A failure the next matching request gets instead of its answer (Prow's unit tests inject these). */
export interface Fault {
  verb: Verb;
  /** Plural (`pods`, `prowjobs`); any when absent. */
  resource?: string;
  code: number;
  reason: string;
  message?: string;
  /** How many requests fail. Default 1. */
  times?: number;
}

export interface WriteOptions {
  /** `fieldValidation=Strict`: unknown fields are an error instead of pruned with a warning. */
  strict?: boolean;
  /** Writes to the `status` subresource. */
  subresource?: 'status';
}

export interface ListOptions {
  labelSelector?: string | null;
  /** `metadata.name=x`, `status.phase=Running`; `=`/`==`/`!=` joined by commas. */
  fieldSelector?: string | null;
}

const clone = <T>(v: T): T => structuredClone(v);
const metaOf = (o: Json): Meta => (o.metadata ??= {}) as Meta;

export class FakeKubeState {
  /** Pods that run on a node are deleted gracefully (deletionTimestamp, then removePod()). */
  gracefulPodDeletion = false;
  /** Events kept for watches to resume from. */
  historyLimit = 10_000;
  /** Every accepted mutation, e.g. `create pods default/x`, `update prowjobs default/x`. */
  readonly log: string[] = [];
  /** Fields pruned because Prow's CRD does not declare them (the apiserver's warnings). */
  readonly warnings: string[] = [];
  /** Writes refused as invalid (422/400), with the reason, for tests to assert there were none. */
  readonly rejections: string[] = [];
  private rv = 1;
  private compactedRv = 0;
  private readonly objects = new Map<string, Json>();
  private history: StoredEvent[] = [];
  private readonly listeners = new Set<(e: StoredEvent) => void>();
  private faults: Fault[] = [];
  private readonly logs = new Map<string, string>();

  resourceVersion(): number {
    return this.rv;
  }

  /** A watch from `rv` can resume (its events are kept) unless rv is older than this. */
  oldestResumable(): number {
    return this.compactedRv;
  }

  /** Drops the event history: a watch resuming from an older resourceVersion gets 410 Expired. */
  compact(): void {
    this.history = [];
    this.compactedRv = this.rv;
  }

  /** Kept events after `rv`, oldest first (complete only when rv >= oldestResumable()). */
  eventsSince(rv: number): StoredEvent[] {
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(fn: (e: StoredEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  failNext(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Throws the injected failure for this request, if any. */
  checkFault(verb: Verb, def: ResourceDef | undefined): void {
    const i = this.faults.findIndex(
      (f) => f.verb === verb && (!f.resource || f.resource === def?.plural),
    );
    if (i < 0) return;
    const f = this.faults[i]!;
    if (--f.times! <= 0) this.faults.splice(i, 1);
    throw new StatusError(f.code, f.reason, f.message ?? `injected ${f.reason}`);
  }

  // --- reads -----------------------------------------------------------------------------------

  get(def: ResourceDef, namespace: string, name: string): Json {
    const o = this.objects.get(this.key(def, namespace, name));
    if (!o) throw notFound(def, name);
    return clone(o);
  }

  find(def: ResourceDef, namespace: string, name: string): Json | undefined {
    const o = this.objects.get(this.key(def, namespace, name));
    return o && clone(o);
  }

  /** Matching objects sorted by namespace and name; namespace undefined = all namespaces. */
  list(def: ResourceDef, namespace?: string, opts: ListOptions = {}): Json[] {
    const labels = compileSelector(opts.labelSelector);
    const fields = fieldMatcher(opts.fieldSelector);
    const prefix = namespace === undefined ? `${def.plural}/` : `${def.plural}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(prefix) && labels(metaOf(o).labels) && fields(o))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  // --- writes ----------------------------------------------------------------------------------

  create(def: ResourceDef, namespace: string, body: Json, opts: WriteOptions = {}): Json {
    const obj = clone(body);
    const meta = metaOf(obj);
    this.checkKind(def, obj);
    if (meta.namespace && meta.namespace !== namespace) {
      throw this.reject(
        badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        ),
      );
    }
    if (!meta.name && typeof meta.generateName === 'string')
      meta.name = meta.generateName + randomUUID().slice(0, 5);
    const name = meta.name ?? '';
    if (name && this.objects.has(this.key(def, namespace, name))) throw alreadyExists(def, name);
    for (const k of [
      'resourceVersion',
      'uid',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'selfLink',
    ])
      delete meta[k];
    Object.assign(meta, {
      namespace,
      uid: randomUUID(),
      creationTimestamp: kubeTime(),
      ...(def.kind === 'Pod' ? {} : { generation: 1 }),
    });
    if (def.kind === 'Pod') defaultPod(obj);
    this.admit(def, obj, opts, `create ${def.plural} ${namespace}/${name}`);
    return this.store(
      'ADDED',
      def,
      namespace,
      name,
      obj,
      undefined,
      `create ${def.plural} ${namespace}/${name}`,
    );
  }

  /** PUT: compare-and-swap on metadata.resourceVersion (when given). */
  update(
    def: ResourceDef,
    namespace: string,
    name: string,
    body: Json,
    opts: WriteOptions = {},
  ): Json {
    const current = this.get(def, namespace, name);
    const next = clone(body);
    const meta = metaOf(next);
    this.checkKind(def, next);
    if (meta.name !== undefined && meta.name !== name) {
      throw this.reject(
        badRequest(
          `the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`,
        ),
      );
    }
    const sent = meta.resourceVersion;
    if (!sent && !def.unconditionalUpdate) {
      throw this.reject(
        invalid(def, name, [
          {
            reason: 'FieldValueInvalid',
            field: 'metadata.resourceVersion',
            message: 'Invalid value: 0x0: must be specified for an update',
          },
        ]),
      );
    }
    if (sent && sent !== metaOf(current).resourceVersion) throw conflict(def, name);
    return this.replace(def, namespace, name, current, next, opts, 'update');
  }

  /** RFC 7386 merge patch; a resourceVersion in the patch is a precondition. */
  patch(
    def: ResourceDef,
    namespace: string,
    name: string,
    patch: Json,
    opts: WriteOptions = {},
  ): Json {
    const current = this.get(def, namespace, name);
    const rv = (patch.metadata as Meta | undefined)?.resourceVersion;
    if (rv && rv !== metaOf(current).resourceVersion) throw conflict(def, name);
    const next = mergePatch(clone(current), patch) as Json;
    return this.replace(def, namespace, name, current, next, opts, 'patch');
  }

  /**
   * DELETE with optional preconditions. Pods on a node are deleted gracefully when
   * `gracefulPodDeletion` is on (deletionTimestamp set; removePod() finishes it), as the kubelet
   * does; unscheduled and finished Pods go at once, as on a real cluster.
   */
  delete(
    def: ResourceDef,
    namespace: string,
    name: string,
    pre: { resourceVersion?: string; uid?: string } = {},
    gracePeriodSeconds?: number,
  ): Json {
    const current = this.get(def, namespace, name);
    const meta = metaOf(current);
    if (pre.uid && pre.uid !== meta.uid)
      throw conflict(
        def,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${String(meta.uid)}`,
      );
    if (pre.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        def,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${String(meta.resourceVersion)}`,
      );
    }
    if (
      def.kind === 'Pod' &&
      this.gracefulPodDeletion &&
      gracePeriodSeconds !== 0 &&
      this.runsOnNode(current)
    ) {
      if (meta.deletionTimestamp) return current;
      const grace =
        gracePeriodSeconds ??
        ((current.spec as Json | undefined)?.terminationGracePeriodSeconds as number | undefined) ??
        30;
      const next = clone(current);
      Object.assign(metaOf(next), {
        deletionTimestamp: kubeTime(new Date(Date.now() + grace * 1000)),
        deletionGracePeriodSeconds: grace,
      });
      return this.store(
        'MODIFIED',
        def,
        namespace,
        name,
        next,
        current,
        `delete ${def.plural} ${namespace}/${name} (graceful)`,
      );
    }
    return this.remove(def, namespace, name);
  }

  /** Removes an object at once (a graceful Pod deletion finishing). */
  remove(def: ResourceDef, namespace: string, name: string): Json {
    const current = this.get(def, namespace, name);
    this.objects.delete(this.key(def, namespace, name));
    this.logs.delete(`${namespace}/${name}`);
    const gone = clone(current);
    metaOf(gone).resourceVersion = String(++this.rv);
    this.record({ type: 'DELETED', def, namespace, object: gone, previous: current, rv: this.rv });
    this.log.push(`delete ${def.plural} ${namespace}/${name}`);
    return clone(gone);
  }

  // --- Pods, as the kubelet sees them ---------------------------------------------------------

  pods(namespace?: string): Json[] {
    return this.list(this.def('pods'), namespace);
  }

  pod(namespace: string, name: string): Json | undefined {
    return this.find(this.def('pods'), namespace, name);
  }

  prowJobs(namespace?: string): Json[] {
    return this.list(this.def('prowjobs'), namespace);
  }

  prowJob(namespace: string, name: string): Json | undefined {
    return this.find(this.def('prowjobs'), namespace, name);
  }

  /** Writes a Pod's status (the kubelet's status update): `next` gets the Pod, returns the status. */
  setPodStatus(namespace: string, name: string, next: (pod: Json) => Json): Json {
    const def = this.def('pods');
    const pod = this.get(def, namespace, name);
    return this.update(
      def,
      namespace,
      name,
      { ...pod, status: next(pod) },
      { subresource: 'status' },
    );
  }

  /** Binds a Pod to a node (the scheduler's binding). */
  bindPod(namespace: string, name: string, node = 'node-1'): Json {
    const def = this.def('pods');
    const pod = this.get(def, namespace, name);
    const next = clone(pod);
    (next.spec as Json).nodeName = node;
    return this.store(
      'MODIFIED',
      def,
      namespace,
      name,
      next,
      pod,
      `bind pods ${namespace}/${name} ${node}`,
    );
  }

  removePod(namespace: string, name: string): Json {
    return this.remove(this.def('pods'), namespace, name);
  }

  setPodLog(namespace: string, name: string, text: string): void {
    this.logs.set(`${namespace}/${name}`, text);
  }

  podLog(namespace: string, name: string): string | undefined {
    return this.logs.get(`${namespace}/${name}`);
  }

  // --- internals -------------------------------------------------------------------------------

  def(plural: string): ResourceDef {
    const d = resources().find((r) => r.plural === plural);
    if (!d) throw new Error(`fake apiserver serves no ${plural}`);
    return d;
  }

  private key(def: ResourceDef, namespace: string, name: string): string {
    return `${def.plural}/${namespace}/${name}`;
  }

  private runsOnNode(pod: Json): boolean {
    const phase = (pod.status as Json | undefined)?.phase;
    return (
      Boolean((pod.spec as Json | undefined)?.nodeName) &&
      phase !== 'Succeeded' &&
      phase !== 'Failed'
    );
  }

  private checkKind(def: ResourceDef, obj: Json): void {
    if (
      (obj.kind !== undefined && obj.kind !== def.kind) ||
      (obj.apiVersion !== undefined && obj.apiVersion !== apiVersionOf(def))
    ) {
      throw this.reject(
        badRequest(
          `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersionOf(def)})`,
        ),
      );
    }
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
  }

  private reject(err: StatusError): StatusError {
    this.rejections.push(`${err.status.code} ${err.status.reason}: ${err.message}`);
    return err;
  }

  /** Schema validation, pruning of undeclared fields (warning, or 400 when strict). */
  private admit(def: ResourceDef, obj: Json, opts: WriteOptions, what: string): void {
    const name = metaOf(obj).name ?? '';
    const { causes, unknown } = validateObject(def, obj);
    if (causes.length > 0) throw this.reject(invalid(def, name, causes));
    if (unknown.length === 0) return;
    if (opts.strict) {
      throw this.reject(
        badRequest(
          `strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
        ),
      );
    }
    for (const f of unknown) this.warnings.push(`${what}: unknown field "${f}"`);
    pruneProwJob(obj);
  }

  private replace(
    def: ResourceDef,
    namespace: string,
    name: string,
    current: Json,
    next: Json,
    opts: WriteOptions,
    verb: 'update' | 'patch',
  ): Json {
    const curMeta = metaOf(current);
    if (def.statusSubresource && opts.subresource === 'status') {
      next = { ...clone(current), status: next.status };
    } else if (def.statusSubresource) {
      next.status = clone(current.status);
    }
    const meta = metaOf(next);
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ]) {
      if (curMeta[k] === undefined) delete meta[k];
      else meta[k] = curMeta[k];
    }
    Object.assign(meta, { name, namespace, resourceVersion: curMeta.resourceVersion });
    if (def.kind === 'Pod' && opts.subresource !== 'status') {
      const problem = podSpecChangeProblem(current.spec as Json, next.spec as Json);
      if (problem)
        throw this.reject(
          invalid(def, name, [
            { reason: 'FieldValueInvalid', field: 'spec', message: `Forbidden: ${problem}` },
          ]),
        );
    }
    const what = `${verb} ${def.plural} ${namespace}/${name}${opts.subresource ? ' status' : ''}`;
    this.admit(def, next, opts, what);
    if (isDeepStrictEqual(next, current)) return current; // a no-op write keeps the version
    if (meta.generation !== undefined) {
      const { metadata: _a, ...restNext } = next;
      const { metadata: _b, ...restCur } = current;
      if (!isDeepStrictEqual(restNext, restCur)) meta.generation = Number(meta.generation) + 1;
    }
    return this.store('MODIFIED', def, namespace, name, next, current, what);
  }

  private store(
    type: EventType,
    def: ResourceDef,
    namespace: string,
    name: string,
    obj: Json,
    previous: Json | undefined,
    what: string,
  ): Json {
    metaOf(obj).resourceVersion = String(++this.rv);
    this.objects.set(this.key(def, namespace, name), clone(obj));
    this.record({
      type,
      def,
      namespace,
      object: clone(obj),
      ...(previous ? { previous } : {}),
      rv: this.rv,
    });
    this.log.push(what);
    return clone(obj);
  }

  private record(e: StoredEvent): void {
    this.history.push(e);
    while (this.history.length > this.historyLimit) this.compactedRv = this.history.shift()!.rv;
    for (const fn of this.listeners) fn(e);
  }
}
