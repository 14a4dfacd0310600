// hook's HTTP surface on --port (Prow's cmd/hook hookMux): `POST /hook` validates a GitHub
// webhook exactly as Prow does, then answers 200 only after JetStream acknowledged the event
// (Prow answers first and loses in-flight events on a crash); `/` answers 200 (legacy health).
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { Bus, Log } from '@jetprow/bus';
import { hookMetrics, type HookMetrics, type PublishOutcome } from './metrics.js';
import {
  createEventPublisher,
  EventTooLargeError,
  PublishTimeoutError,
  type EventPublisher,
  type Published,
} from './publish-event.js';
import {
  BodyReadError,
  BodyTooLargeError,
  checkContentLength,
  GITHUB_MAX_PAYLOAD_BYTES,
  readBody,
} from './read-body.js';
import type { HmacSecrets } from './secret.js';
import { checkHeaders, reject, verifyPayload, type Rejection } from './validate.js';

export const DEFAULT_PUBLISH_TIMEOUT_MS = 8000;
export const ACCEPTED_BODY = 'Event received. Have a nice day.';

export interface HookAppDeps {
  bus: Bus;
  /** The current secrets (hot-reloaded by the caller); called once per delivery. */
  getSecrets: () => HmacSecrets;
  log: Log;
  registry: Registry;
  /** How long the bus may take to acknowledge an event before hook answers 503. Default 8 s: a JetStream leader election after a node died takes 4-5 s on 2.9, and GitHub waits 10 s. */
  publishTimeoutMs?: number;
  /** Largest accepted body; default GitHub's cap, 25 MiB. */
  maxBodyBytes?: number;
  /** Prow's --webhook-path. Default `/hook`. */
  path?: string;
  now?: () => Date;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

interface Ctx {
  deps: HookAppDeps;
  metrics: HookMetrics;
  publish: EventPublisher;
  maxBodyBytes: number;
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

function rejected(ctx: Ctx, r: Rejection, fields: object): Response {
  const level = r.status >= 500 ? 'warn' : r.status === 403 || r.status === 413 ? 'info' : 'debug';
  ctx.deps.log[level]({ ...fields, status: r.status, reason: r.reason }, 'webhook rejected');
  return text(r.status, r.body);
}

async function readWebhookBody(req: Request, ctx: Ctx): Promise<Uint8Array | Rejection> {
  try {
    checkContentLength(req.headers.get('content-length') ?? undefined, ctx.maxBodyBytes);
    return await readBody(req.body, ctx.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      return reject(413, 'too-large', `body exceeds ${err.limit} bytes (GitHub's webhook cap)`);
    }
    if (err instanceof BodyReadError) {
      return reject(500, 'unreadable-body', 'Failed to read request body');
    }
    throw err;
  }
}

function outcomeOf(result: Published | unknown): PublishOutcome {
  if (result instanceof PublishTimeoutError) return 'timeout';
  if (result instanceof Error) return 'error';
  return (result as Published).duplicate ? 'duplicate' : 'stored';
}

async function handleWebhook(req: Request, ctx: Ctx): Promise<Response> {
  const { deps, metrics } = ctx;
  const headers = checkHeaders(req.method, (name) => req.headers.get(name) ?? undefined);
  if (!headers.ok) return rejected(ctx, headers, {});
  const { event, delivery, signature } = headers;
  const fields = { event_type: event, event_GUID: delivery };

  const body = await readWebhookBody(req, ctx);
  if (!(body instanceof Uint8Array)) return rejected(ctx, body, fields);

  let secrets: HmacSecrets;
  try {
    secrets = deps.getSecrets();
  } catch (err) {
    deps.log.error({ ...fields, err }, 'cannot get the hmac secrets');
    return text(500, '500 Internal Server Error: hmac secrets unavailable\n');
  }
  const verified = await verifyPayload(body, signature, secrets);
  if (!verified.ok) return rejected(ctx, verified, fields);
  metrics.webhooks.inc({ event_type: event });

  const traceparent = req.headers.get('traceparent') ?? undefined;
  const stopTimer = metrics.publishSeconds.startTimer();
  let result: Published;
  try {
    result = await ctx.publish({
      event,
      delivery,
      body,
      payload: verified.payload,
      receivedAt: (deps.now ?? (() => new Date()))(),
      traceparent: traceparent && TRACEPARENT.test(traceparent) ? traceparent : undefined,
    });
  } catch (err) {
    stopTimer({ outcome: outcomeOf(err) });
    if (err instanceof EventTooLargeError) {
      deps.log.error({ ...fields, err }, 'event too large for the bus: not stored');
      return text(500, `500 Internal Server Error: ${err.message}\n`);
    }
    deps.log.error({ ...fields, err }, 'event not stored on the bus: answering 503');
    return text(503, '503 Service Unavailable: event not stored, redeliver it later\n');
  }
  stopTimer({ outcome: outcomeOf(result) });
  deps.log.info(
    {
      ...fields,
      repo: verified.orgRepo,
      subject: result.subject,
      seq: result.seq,
      duplicate: result.duplicate,
      offloaded: result.offloaded,
      ...(result.retries > 0 ? { retries: result.retries } : {}),
    },
    result.duplicate ? 'duplicate delivery, already stored' : 'event stored',
  );
  return text(200, ACCEPTED_BODY);
}

export function createHookApp(deps: HookAppDeps): Hono {
  const ctx: Ctx = {
    deps,
    metrics: hookMetrics(deps.registry),
    publish: createEventPublisher({
      bus: deps.bus,
      timeoutMs: deps.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
    }),
    maxBodyBytes: deps.maxBodyBytes ?? GITHUB_MAX_PAYLOAD_BYTES,
  };
  const app = new Hono();
  app.all(deps.path ?? '/hook', async (c) => {
    let res: Response;
    try {
      res = await handleWebhook(c.req.raw, ctx);
    } catch (err) {
      deps.log.error({ err }, 'webhook handling failed');
      res = text(500, '500 Internal Server Error\n');
    }
    ctx.metrics.responses.inc({ response_code: String(res.status) });
    return res;
  });
  // Prow: "Return 200 on / for health checks."
  app.all('/', (c) => c.body(null, 200));
  return app;
}
