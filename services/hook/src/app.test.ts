// hook's HTTP handler against a real nats-server, through app.request() (no socket).
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectBus,
  ensureStreams,
  getPayload,
  PAYLOAD_BUCKET,
  payloadStore,
  silentLog,
  type Bus,
} from '@jetprow/bus';
import { eventSubject, Streams } from '@jetprow/core';
import type { GitHubEvent } from '@jetprow/schemas';
import { metricsApp } from '@jetprow/service';
import { example, signBody, startNats, type NatsHarness } from '@jetprow/testing';
import { ACCEPTED_BODY, createHookApp } from './app.js';
import { parseHmacSecrets, singleTokenSecrets, type HmacSecrets } from './secret.js';
import {
  metricValue,
  prowPhonyExample,
  webhookHeaders,
  type WebhookInit,
} from '../testing/test-support.js';

const SECRET = 'abcde12345';
let nats: NatsHarness;
let bus: Bus;
let registry: Registry;
let secrets: HmacSecrets = singleTokenSecrets(SECRET);
let app: ReturnType<typeof createHookApp>;

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'hook-app-test');
  await ensureStreams(bus.jsm);
  registry = new Registry();
  app = createHookApp({
    bus,
    getSecrets: () => secrets,
    log: silentLog,
    registry,
    publishTimeoutMs: 10_000,
  });
});
afterAll(async () => {
  await bus?.close();
  await nats?.stop();
});

const storedCount = async () => (await bus.jsm.streams.info(Streams.events)).state.messages;

type RawBody = string | Uint8Array | ReadableStream<Uint8Array>;

async function post(init: WebhookInit & { rawBody?: RawBody }): Promise<Response> {
  const body = init.method === 'GET' || init.method === 'HEAD' ? null : (init.rawBody ?? init.body);
  // A stream body needs `duplex: 'half'` (Node's fetch Request), which RequestInit does not type.
  return app.request('/hook', {
    method: init.method ?? 'POST',
    headers: webhookHeaders(init),
    body,
    duplex: 'half',
  } as RequestInit);
}

async function stored(subject: string, delivery: string) {
  const m = await bus.jsm.streams.getMessage(Streams.events, { last_by_subj: subject });
  if (!m || m.header.get('Prow-Delivery') !== delivery) return undefined;
  return { msg: m, event: m.json<GitHubEvent>() };
}

const issueComment = JSON.stringify(example('issue_comment', 'created'));
const prOpened = JSON.stringify(example('pull_request', 'opened'));
const checkRun = JSON.stringify(example('check_run'));
const ping = JSON.stringify(example('ping'));
const orgEvent = JSON.stringify(example('organization', 'member_added'));
const phonyComment = prowPhonyExample('test_comment.json');
const phonyPush = prowPhonyExample('push.json');
const failingBody = () =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new Error('connection reset by peer'));
    },
  });

interface Case {
  name: string;
  init: WebhookInit & { rawBody?: RawBody };
  secrets?: HmacSecrets;
  status: number;
  /** Exact body for rejections (Prow's http.Error text) and acceptances. */
  body: string;
  /** For accepted deliveries: where the event must be stored. */
  subject?: string;
}

const hmacMap = parseHmacSecrets(
  `
'*': [{value: global}]
Octocoders: [{value: octo-old}, {value: octo-new}]
Codertocat/Hello-World: [{value: hello}]
`,
  'test-map',
);

// Prow's ValidateWebhook table (reference/prow.md §1.2), row by row, then the accepted cases.
const cases: Case[] = [
  {
    name: 'GET → 405',
    init: { method: 'GET', event: 'ping', body: ping, secret: SECRET },
    status: 405,
    body: '405 Method not allowed\n',
  },
  {
    name: 'PUT → 405',
    init: { method: 'PUT', event: 'ping', body: ping, secret: SECRET },
    status: 405,
    body: '405 Method not allowed\n',
  },
  {
    name: 'no X-GitHub-Event → 400',
    init: { event: 'ping', body: ping, secret: SECRET, headers: { 'x-github-event': null } },
    status: 400,
    body: '400 Bad Request: Missing X-GitHub-Event Header\n',
  },
  {
    name: 'no X-GitHub-Delivery → 400',
    init: { event: 'ping', body: ping, secret: SECRET, headers: { 'x-github-delivery': null } },
    status: 400,
    body: '400 Bad Request: Missing X-GitHub-Delivery Header\n',
  },
  {
    name: 'no X-Hub-Signature-256 → 403',
    init: { event: 'ping', body: ping, secret: SECRET, headers: { 'x-hub-signature-256': null } },
    status: 403,
    body: '403 Forbidden: Missing X-Hub-Signature-256\n',
  },
  {
    name: 'legacy sha1 X-Hub-Signature only → 403',
    init: {
      event: 'ping',
      body: ping,
      secret: SECRET,
      headers: { 'x-hub-signature-256': null, 'x-hub-signature': 'sha1=0123' },
    },
    status: 403,
    body: '403 Forbidden: Missing X-Hub-Signature-256\n',
  },
  {
    name: 'form-encoded content-type → 400',
    init: {
      event: 'ping',
      body: ping,
      secret: SECRET,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    status: 400,
    body: '400 Bad Request: Hook only accepts content-type: application/json - please reconfigure this hook on GitHub\n',
  },
  {
    name: 'content-type with a charset → 400 (exact compare)',
    init: {
      event: 'ping',
      body: ping,
      secret: SECRET,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    },
    status: 400,
    body: '400 Bad Request: Hook only accepts content-type: application/json - please reconfigure this hook on GitHub\n',
  },
  {
    name: 'unreadable body → 500',
    init: { event: 'ping', body: ping, secret: SECRET, rawBody: failingBody() },
    status: 500,
    body: '500 Internal Server Error: Failed to read request body\n',
  },
  {
    name: 'body not JSON → 403 invalid payload',
    init: { event: 'ping', body: 'not json', secret: SECRET },
    status: 403,
    body: '403 Forbidden: Invalid X-Hub-Signature-256 - invalid payload\n',
  },
  {
    name: 'wrong secret → 403 misconfigured',
    init: { event: 'issue_comment', body: issueComment, secret: 'wrong' },
    status: 403,
    body: '403 Forbidden: Invalid X-Hub-Signature-256 - misconfigured webhook secret from organization/repo: Codertocat/Hello-World\n',
  },
  {
    name: 'body changed after signing → 403 misconfigured',
    init: {
      event: 'issue_comment',
      body: issueComment,
      rawBody: `${issueComment} `,
      secret: SECRET,
    },
    status: 403,
    body: '403 Forbidden: Invalid X-Hub-Signature-256 - misconfigured webhook secret from organization/repo: Codertocat/Hello-World\n',
  },
  {
    name: 'signature not sha256=<hex> → 403 invalid signature',
    init: {
      event: 'ping',
      body: ping,
      secret: SECRET,
      headers: { 'x-hub-signature-256': 'sha1=abcd' },
    },
    status: 403,
    body: '403 Forbidden: Invalid X-Hub-Signature-256 - invalid signature\n',
  },
  {
    name: 'map secrets: org token rejected where the repo has its own → 403',
    init: { event: 'issue_comment', body: issueComment, secret: 'octo-new' },
    secrets: hmacMap,
    status: 403,
    body: '403 Forbidden: Invalid X-Hub-Signature-256 - misconfigured webhook secret from organization/repo: Codertocat/Hello-World\n',
  },
  {
    name: 'map secrets: global token rejected for an org with its own level → 403',
    init: { event: 'organization', body: orgEvent, secret: 'global' },
    secrets: hmacMap,
    status: 403,
    body: '403 Forbidden: Invalid X-Hub-Signature-256 - misconfigured webhook secret from organization/repo: Octocoders\n',
  },
  // Accepted: GitHub-docs payloads (@octokit/webhooks-examples) and Prow's phony payloads.
  {
    name: 'issue_comment (GitHub example) → 200',
    init: { event: 'issue_comment', body: issueComment, secret: SECRET },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('issue_comment', 'Codertocat', 'Hello-World'),
  },
  {
    name: 'pull_request opened (GitHub example) → 200',
    init: { event: 'pull_request', body: prOpened, secret: SECRET },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('pull_request', 'Codertocat', 'Hello-World'),
  },
  {
    name: 'issue_comment (Prow phony test_comment.json) → 200',
    init: { event: 'issue_comment', body: phonyComment, secret: SECRET },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('issue_comment', 'kubernetes', 'test-infra'),
  },
  {
    name: 'push (Prow phony push.json) → 200',
    init: { event: 'push', body: phonyPush, secret: SECRET },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('push', 'kubernetes', 'test-infra'),
  },
  {
    name: 'unknown event check_run → stored, 200',
    init: { event: 'check_run', body: checkRun, secret: SECRET },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('check_run', 'Codertocat', 'Hello-World'),
  },
  {
    name: 'unknown event ping → stored, 200',
    init: { event: 'ping', body: ping, secret: SECRET },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('ping', 'Octocoders', 'Hello-World'),
  },
  {
    name: 'upper-case hex signature → 200 (Go hex decoding)',
    init: {
      event: 'ping',
      body: ping,
      secret: SECRET,
      headers: { 'x-hub-signature-256': `sha256=${signBody(SECRET, ping).slice(7).toUpperCase()}` },
    },
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('ping', 'Octocoders', 'Hello-World'),
  },
  {
    name: 'map secrets: the repo token → 200',
    init: { event: 'issue_comment', body: issueComment, secret: 'hello' },
    secrets: hmacMap,
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('issue_comment', 'Codertocat', 'Hello-World'),
  },
  {
    name: 'map secrets: rotation, the old org token → 200',
    init: { event: 'organization', body: orgEvent, secret: 'octo-old' },
    secrets: hmacMap,
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('organization', 'Octocoders', ''),
  },
  {
    name: 'map secrets: rotation, the new org token → 200',
    init: { event: 'organization', body: orgEvent, secret: 'octo-new' },
    secrets: hmacMap,
    status: 200,
    body: ACCEPTED_BODY,
    subject: eventSubject('organization', 'Octocoders', ''),
  },
];

describe('POST /hook: Prow validation table', () => {
  for (const tc of cases) {
    it(tc.name, async () => {
      secrets = tc.secrets ?? singleTokenSecrets(SECRET);
      const delivery = randomUUID();
      const before = await storedCount();
      const res = await post({ ...tc.init, delivery });
      expect(res.status).toBe(tc.status);
      expect(await res.text()).toBe(tc.body);
      if (tc.subject) {
        const got = await stored(tc.subject, delivery);
        expect(got?.event).toMatchObject({ delivery, event: tc.init.event });
        expect(got?.event.raw).toEqual(JSON.parse(tc.init.body));
        expect(await storedCount()).toBe(before + 1);
      } else {
        expect(await storedCount()).toBe(before);
      }
    });
  }
});

describe('publishing', () => {
  beforeAll(() => {
    secrets = singleTokenSecrets(SECRET);
  });

  it('stores a normalized event with Prow-Delivery, Prow-Event and traceparent headers', async () => {
    const delivery = randomUUID();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const res = await post({
      event: 'issue_comment',
      body: issueComment,
      secret: SECRET,
      delivery,
      headers: { traceparent },
    });
    expect(res.status).toBe(200);
    const got = await stored(eventSubject('issue_comment', 'Codertocat', 'Hello-World'), delivery);
    expect(got?.msg.header.get('Prow-Delivery')).toBe(delivery);
    expect(got?.msg.header.get('Prow-Event')).toBe('issue_comment');
    expect(got?.msg.header.get('traceparent')).toBe(traceparent);
    expect(got?.event).toMatchObject({
      delivery,
      event: 'issue_comment',
      action: 'created',
      org: 'Codertocat',
      repo: 'Hello-World',
      sender: 'Codertocat',
      comment: { action: 'created', author: 'Codertocat', is_pr: false },
    });
  });

  it('makes a traceparent when the request has none (or a malformed one)', async () => {
    const delivery = randomUUID();
    await post({
      event: 'ping',
      body: ping,
      secret: SECRET,
      delivery,
      headers: { traceparent: 'garbage' },
    });
    const got = await stored(eventSubject('ping', 'Octocoders', 'Hello-World'), delivery);
    expect(got?.msg.header.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('stores the same delivery once and answers 200 both times', async () => {
    const delivery = randomUUID();
    const subject = eventSubject('pull_request', 'Codertocat', 'Hello-World');
    const before = await storedCount();
    const first = await post({ event: 'pull_request', body: prOpened, secret: SECRET, delivery });
    const second = await post({ event: 'pull_request', body: prOpened, secret: SECRET, delivery });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.text()).toBe(ACCEPTED_BODY);
    expect(await storedCount()).toBe(before + 1);
    expect((await stored(subject, delivery))?.event.delivery).toBe(delivery);
    expect(
      await metricValue(registry, 'jetprow_hook_publish_seconds', { outcome: 'duplicate' }),
    ).toBeGreaterThanOrEqual(1);
  });

  /** Prow's phony push with `n` commits: a big but realistic body (GitHub lists up to 2048). */
  function bigPush(n: number, files: (i: number) => string[]): string {
    const push = JSON.parse(phonyPush) as { commits: Record<string, unknown>[] };
    const template = push.commits[0]!;
    push.commits = Array.from({ length: n }, (_, i) => ({
      ...template,
      id: i.toString(16).padStart(40, '0'),
      message: `commit ${i}\n\n${'A long commit message line. '.repeat(40)}`,
      modified: files(i),
    }));
    return JSON.stringify(push);
  }

  it('keeps a 3 MB body whole in the object store and references it', async () => {
    const body = bigPush(2048, () => ['prow/Makefile', 'README.md']);
    expect(Buffer.byteLength(body)).toBeGreaterThan(3 * 1024 * 1024);
    const delivery = randomUUID();
    const res = await post({ event: 'push', body, secret: SECRET, delivery });
    expect(res.status).toBe(200);
    const got = await stored(eventSubject('push', 'kubernetes', 'test-infra'), delivery);
    expect(got?.event.raw).toBeUndefined();
    expect(got?.event.raw_ref).toEqual({
      bucket: PAYLOAD_BUCKET,
      name: delivery,
      size: Buffer.byteLength(body),
    });
    expect(got?.event.push?.changed_files.sort()).toEqual(['README.md', 'prow/Makefile']);
    const kept = await getPayload(await payloadStore(bus), delivery);
    expect(kept && Buffer.from(kept).equals(Buffer.from(body))).toBe(true);
  });

  it('refuses (500, nothing stored) an event whose normalized form alone exceeds max_payload', async () => {
    // 2048 commits x 10 distinct long paths: the changed-file list itself is over 1 MiB.
    const body = bigPush(2048, (i) =>
      Array.from({ length: 10 }, (_, j) => `vendor/${'d'.repeat(40)}/${i}/${j}.go`),
    );
    const before = await storedCount();
    const res = await post({ event: 'push', body, secret: SECRET });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('bytes the bus takes');
    expect(await storedCount()).toBe(before);
  });

  const tooBig = 26 * 1024 * 1024;
  const bigCases = [
    {
      name: 'declared by Content-Length',
      body: () => new Uint8Array(tooBig).fill(32),
      length: String(tooBig),
    },
    {
      name: 'chunked, without Content-Length',
      body: () => {
        let sent = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= tooBig) return controller.close();
            sent += 1024 * 1024;
            controller.enqueue(new Uint8Array(1024 * 1024).fill(32));
          },
        });
      },
      length: null,
    },
  ];
  for (const tc of bigCases) {
    it(`refuses a 26 MiB body (${tc.name}) with 413 and publishes nothing`, async () => {
      const before = await storedCount();
      const res = await post({
        event: 'ping',
        body: ping,
        rawBody: tc.body(),
        secret: SECRET,
        headers: { 'content-length': tc.length },
      });
      expect(res.status).toBe(413);
      expect(await res.text()).toContain('413 Request Entity Too Large');
      expect(await storedCount()).toBe(before);
    });
  }

  it('accepts a body of exactly the size limit, and refuses one byte more', async () => {
    const limit = 2 * 1024 * 1024;
    const small = createHookApp({
      bus,
      getSecrets: () => secrets,
      log: silentLog,
      registry,
      maxBodyBytes: limit,
      publishTimeoutMs: 10_000,
    });
    const payload = example('ping');
    const base = JSON.stringify({ ...payload, zen: '' });
    const exact = JSON.stringify({ ...payload, zen: 'z'.repeat(limit - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(exact)).toBe(limit);
    const over = `${exact} `;
    const send = (body: string) =>
      small.request('/hook', {
        method: 'POST',
        headers: webhookHeaders({ event: 'ping', body, secret: SECRET }),
        body,
      });
    expect((await send(exact)).status).toBe(200);
    expect((await send(over)).status).toBe(413);
  });
});

describe('other routes and metrics', () => {
  it('answers / with 200 and an empty body (Prow legacy health)', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('exposes Prow metric names on the registry', async () => {
    const text = await (await metricsApp(registry).request('/metrics')).text();
    expect(text).toMatch(/prow_webhook_counter\{event_type="issue_comment"\} [1-9]/);
    expect(text).toMatch(/prow_webhook_counter\{event_type="check_run"\} [1-9]/);
    expect(text).toMatch(/prow_webhook_response_codes\{response_code="200"\} [1-9]/);
    expect(text).toMatch(/prow_webhook_response_codes\{response_code="403"\} [1-9]/);
    expect(text).toMatch(/prow_webhook_response_codes\{response_code="405"\} [1-9]/);
    expect(text).toMatch(/prow_webhook_response_codes\{response_code="413"\} [1-9]/);
    expect(text).toMatch(/jetprow_hook_publish_seconds_count\{outcome="stored"\} [1-9]/);
    // Only validated deliveries count as webhooks: one check_run was accepted, none rejected.
    expect(text).toMatch(/prow_webhook_counter\{event_type="check_run"\} 1\n/);
  });
});
