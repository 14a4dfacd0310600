// A fake kube-apiserver on node:http speaking the real wire protocol for what jetprow uses:
// discovery, ProwJobs (prow.k8s.io/v1, Prow's CRD, no status subresource) and Pods (core/v1 with
// `status` and `log`): create, get, list (label/field selectors, limit/continue), watch, replace,
// merge patch, delete (preconditions, graceful Pod deletion), bearer-token auth, metav1.Status
// errors, server-side Table printing for kubectl. Driven in tests by the real
// @kubernetes/client-node and kubectl.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeKubeState, type Json, type Verb } from './state.js';
import { discovery, findResource, type ResourceDef } from './resources.js';
import {
  StatusError,
  badRequest,
  methodNotAllowed,
  serverNotFound,
  unsupportedMediaType,
} from './status.js';
import { table, wantsTable } from './table.js';
import { startWatch, type OpenWatch } from './watch.js';

export interface FakeKubeOptions {
  /** Default: a free port. */
  port?: number;
  /** The bearer token clients send. Default `fake-kube-token`. */
  token?: string;
  /**
   * Requests without credentials are served (anonymous access, permissive RBAC): kubectl sends no
   * bearer token over plain http. Default true. A wrong token is always 401.
   */
  anonymous?: boolean;
  state?: FakeKubeState;
  /** BOOKMARK period on watches that allow them. Default 60 s (the apiserver's is about 1 min). */
  bookmarkIntervalMs?: number;
  /** Ends watches that give no timeoutSeconds after this long. Default: never. */
  watchTimeoutMs?: number;
  /** How a watch from a too-old resourceVersion is refused. Default `event` (the watch cache's way). */
  goneAs?: 'event' | 'status';
}

export interface ServerHandle {
  port: number;
  /** `GET /apis/...?...` for every request, in order; ` (anonymous)` when it had no credentials. */
  requests: string[];
  /** Ends every open watch (as a watch timeout or an apiserver rollout would). */
  dropWatches(): void;
  openWatches(): number;
  /** Stops listening and drops every connection; listen() again resumes on the same port. */
  close(): Promise<void>;
  listen(): Promise<void>;
}

const ROUTE =
  /^\/(api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

function send(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}

function parseJson(text: string): Json {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  } catch {
    // answered below
  }
  throw badRequest(`the body of the request was in an unknown format: not a JSON object`);
}

interface Route {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  sub?: string;
}

function route(path: string): Route {
  const m = ROUTE.exec(path);
  const def = m && findResource(m[1]!, m[3]!);
  if (!m || !def) throw serverNotFound();
  const [, , namespace, , name, sub] = m;
  if (
    sub &&
    !((sub === 'status' && def.statusSubresource) || (sub === 'log' && def.kind === 'Pod'))
  )
    throw serverNotFound();
  if (!namespace && name) throw serverNotFound();
  return {
    def,
    ...(namespace ? { namespace } : {}),
    ...(name ? { name: decodeURIComponent(name) } : {}),
    ...(sub ? { sub } : {}),
  };
}

interface ContinueToken {
  rv: number;
  after: string;
}

function list(
  state: FakeKubeState,
  r: Route,
  q: URLSearchParams,
): { items: Json[]; metadata: Json } {
  let items = state.list(r.def, r.namespace, {
    labelSelector: q.get('labelSelector'),
    fieldSelector: q.get('fieldSelector'),
  });
  const rv = String(state.resourceVersion());
  const cont = q.get('continue');
  const keyOf = (o: Json): string => {
    const m = o.metadata as Json;
    return `${String(m.namespace)}/${String(m.name)}`;
  };
  if (cont) {
    let token: ContinueToken;
    try {
      token = JSON.parse(Buffer.from(cont, 'base64url').toString()) as ContinueToken;
    } catch {
      throw badRequest('continue key is not valid');
    }
    items = items.filter((o) => keyOf(o) > token.after);
  }
  const limit = Number(q.get('limit') ?? 0);
  if (limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    const token: ContinueToken = { rv: Number(rv), after: keyOf(page.at(-1)!) };
    const next = Buffer.from(JSON.stringify(token)).toString('base64url');
    return {
      items: page,
      metadata: { resourceVersion: rv, continue: next, remainingItemCount: items.length - limit },
    };
  }
  return { items, metadata: { resourceVersion: rv } };
}

export function createFakeKubeServer(
  state: FakeKubeState,
  opts: FakeKubeOptions = {},
): ServerHandle {
  const token = opts.token ?? 'fake-kube-token';
  const watches = new Set<OpenWatch>();
  const requests: string[] = [];
  let port = opts.port ?? 0;
  let server: Server | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-kube');
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization;
    requests.push(`${method} ${url.pathname}${url.search}${auth ? '' : ' (anonymous)'}`);
    if (auth ? auth !== `Bearer ${token}` : opts.anonymous === false) {
      return send(res, 401, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    const body = await readBody(req);
    const disc = method === 'GET' ? discovery(url.pathname) : undefined;
    if (disc) return send(res, 200, disc);
    const r = route(url.pathname);
    const q = url.searchParams;
    const fault = (verb: Verb): void => state.checkFault(verb, r.def);
    const strict = q.get('fieldValidation') === 'Strict';
    const warningsBefore = state.warnings.length;
    const answer = (code: number, obj: unknown): void => {
      const added = state.warnings
        .slice(warningsBefore)
        .map((w) => `299 - ${JSON.stringify(w.slice(w.indexOf(': ') + 2))}`);
      send(res, code, obj, added.length ? { warning: added.join(', ') } : {});
    };
    const ns = r.namespace ?? '';
    const subresource = r.sub === 'status' ? ({ subresource: 'status' } as const) : {};

    if (method === 'GET' && !r.name) {
      if (q.get('watch') === 'true' || q.get('watch') === '1') {
        fault('watch');
        const w = startWatch(
          state,
          res,
          {
            def: r.def,
            ...(r.namespace ? { namespace: r.namespace } : {}),
            query: q,
            bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
            ...(opts.watchTimeoutMs !== undefined ? { defaultTimeoutMs: opts.watchTimeoutMs } : {}),
            goneAs: opts.goneAs ?? 'event',
          },
          () => watches.delete(w),
        );
        watches.add(w);
        return;
      }
      fault('list');
      const { items, metadata } = list(state, r, q);
      if (wantsTable(req.headers.accept))
        return send(res, 200, table(r.def, items, String(metadata.resourceVersion)));
      return send(res, 200, {
        apiVersion:
          items[0]?.apiVersion ?? (r.def.group ? `${r.def.group}/${r.def.version}` : 'v1'),
        kind: r.def.listKind,
        metadata,
        items,
      });
    }
    if (!r.name) {
      if (method === 'POST') {
        if (!r.namespace) throw methodNotAllowed(method);
        fault('create');
        return answer(201, state.create(r.def, ns, parseJson(body), { strict }));
      }
      throw methodNotAllowed(method);
    }
    const name = r.name;
    switch (method) {
      case 'GET': {
        fault('get');
        const obj = state.get(r.def, ns, name);
        if (r.sub === 'log') return sendLog(res, state, ns, name, obj);
        if (wantsTable(req.headers.accept))
          return send(
            res,
            200,
            table(r.def, [obj], String((obj.metadata as Json).resourceVersion)),
          );
        return send(res, 200, obj);
      }
      case 'PUT':
        fault('update');
        return answer(
          200,
          state.update(r.def, ns, name, parseJson(body), { strict, ...subresource }),
        );
      case 'PATCH': {
        fault('patch');
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const merge =
          type === 'application/merge-patch+json' ||
          (type === 'application/strategic-merge-patch+json' && r.def.kind === 'Pod');
        if (!merge) {
          // JSON Patch and server-side apply are not implemented by the fake.
          throw unsupportedMediaType(type, ['application/merge-patch+json']);
        }
        return answer(
          200,
          state.patch(r.def, ns, name, parseJson(body), { strict, ...subresource }),
        );
      }
      case 'DELETE': {
        fault('delete');
        const opts = body ? parseJson(body) : {};
        const pre = (opts.preconditions ?? {}) as { resourceVersion?: string; uid?: string };
        const graceRaw = q.get('gracePeriodSeconds') ?? opts.gracePeriodSeconds;
        const grace = graceRaw === undefined || graceRaw === null ? undefined : Number(graceRaw);
        return send(res, 200, state.delete(r.def, ns, name, pre, grace));
      }
      default:
        throw methodNotAllowed(method);
    }
  }

  function sendLog(
    res: ServerResponse,
    st: FakeKubeState,
    ns: string,
    name: string,
    pod: Json,
  ): void {
    const text = st.podLog(ns, name);
    const phase = (pod.status as Json | undefined)?.phase;
    if (text === undefined && (phase === 'Pending' || phase === undefined)) {
      throw badRequest(`container "test" in pod "${name}" is waiting to start: ContainerCreating`);
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(text ?? '');
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      if (err instanceof StatusError) return send(res, err.status.code, err.status);
      send(res, 500, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: String(err),
        reason: 'InternalError',
        code: 500,
      });
    });
  };

  return {
    get port() {
      return port;
    },
    requests,
    dropWatches() {
      for (const w of [...watches]) w.end();
    },
    openWatches: () => watches.size,
    async listen() {
      const s = createServer(handler);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      port = (s.address() as AddressInfo).port;
      server = s;
    },
    async close() {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const w of [...watches]) w.end();
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
