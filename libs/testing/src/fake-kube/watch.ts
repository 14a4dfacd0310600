// One watch stream, as the apiserver serves it: headers flushed at once (client-node's Watch
// resolves only then), newline-delimited `{type, object}` events; from `resourceVersion` N the
// kept events after N (older than the history: a 410 Expired ERROR event, then the end); without
// one (or "0") the current objects as ADDED first; label and field selectors, where an object
// that stops matching is DELETED and one that starts matching is ADDED; BOOKMARK events when
// `allowWatchBookmarks=true`; the stream ends after `timeoutSeconds`.
import type { ServerResponse } from 'node:http';
import { compileSelector } from './label-selector.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { fieldMatcher } from './field-selector.js';
import type { FakeKubeState, Json, StoredEvent } from './state.js';
import { badRequest, expired, type KubeStatus } from './status.js';

export interface WatchOptions {
  def: ResourceDef;
  /** undefined: every namespace. */
  namespace?: string;
  query: URLSearchParams;
  /** How often BOOKMARK events are sent (the apiserver: about once a minute). */
  bookmarkIntervalMs: number;
  /** When the client gives no timeoutSeconds (the apiserver picks 30–60 min). */
  defaultTimeoutMs?: number;
  /** How a too-old resourceVersion is refused: an ERROR event in a 200 stream, or a 410 answer. */
  goneAs: 'event' | 'status';
}

export interface OpenWatch {
  end(): void;
}

type Out = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Json | KubeStatus;
};

/**
 * Starts a watch on `res`. Throws a StatusError before anything is written when the request is
 * bad; answers a 410 itself.
 */
export function startWatch(
  state: FakeKubeState,
  res: ServerResponse,
  opts: WatchOptions,
  onEnd: () => void,
): OpenWatch {
  const { def, namespace, query } = opts;
  const labels = compileSelector(query.get('labelSelector'));
  const fields = fieldMatcher(query.get('fieldSelector'));
  const rvParam = query.get('resourceVersion') ?? '';
  const from = rvParam === '' || rvParam === '0' ? undefined : Number(rvParam);
  if (from !== undefined && !Number.isInteger(from))
    throw badRequest(`invalid resourceVersion "${rvParam}"`);
  const gone =
    from !== undefined && from < state.oldestResumable()
      ? expired(from, state.oldestResumable())
      : undefined;
  if (gone && opts.goneAs === 'status') throw gone;

  res.writeHead(200, {
    'content-type': 'application/json',
    'transfer-encoding': 'chunked',
    'cache-control': 'no-cache, private',
  });
  res.flushHeaders();
  const send = (e: Out): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify(e)}\n`);
  };
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe = (): void => {};
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    timers.forEach((t) => clearTimeout(t));
    if (!res.writableEnded) res.end();
    onEnd();
  };
  res.on('close', end);
  if (gone) {
    send({ type: 'ERROR', object: gone.status });
    end();
    return { end };
  }

  const matches = (o: Json | undefined): boolean =>
    o !== undefined &&
    labels((o.metadata as Json | undefined)?.labels as Record<string, string>) &&
    fields(o);
  const translate = (e: StoredEvent): Out | undefined => {
    if (e.def !== def || (namespace !== undefined && e.namespace !== namespace)) return undefined;
    const now = matches(e.object);
    const before = e.previous !== undefined && matches(e.previous);
    if (e.type === 'DELETED')
      return before || now ? { type: 'DELETED', object: e.object } : undefined;
    if (e.type === 'ADDED') return now ? { type: 'ADDED', object: e.object } : undefined;
    if (now) return { type: before ? 'MODIFIED' : 'ADDED', object: e.object };
    return before ? { type: 'DELETED', object: e.object } : undefined;
  };

  // The state is synchronous: replaying and subscribing in one turn misses nothing.
  if (from === undefined) {
    for (const o of state.list(def, namespace)) if (matches(o)) send({ type: 'ADDED', object: o });
  } else {
    for (const e of state.eventsSince(from)) {
      const out = translate(e);
      if (out) send(out);
    }
  }
  unsubscribe = state.subscribe((e) => {
    const out = translate(e);
    if (out) send(out);
  });

  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const bookmark = (): void =>
    send({
      type: 'BOOKMARK',
      object: {
        kind: def.kind,
        apiVersion: apiVersionOf(def),
        metadata: { resourceVersion: String(state.resourceVersion()) },
      },
    });
  if (bookmarks) {
    const tick = setInterval(bookmark, opts.bookmarkIntervalMs);
    tick.unref();
    timers.push(tick);
  }
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? NaN);
  const timeoutMs =
    Number.isFinite(timeoutSeconds) && timeoutSeconds > 0
      ? timeoutSeconds * 1000
      : opts.defaultTimeoutMs;
  if (timeoutMs !== undefined) {
    const t = setTimeout(() => {
      if (bookmarks) bookmark();
      end();
    }, timeoutMs);
    t.unref();
    timers.push(t);
  }
  return { end };
}
