// hook on a real socket, driven by phony (sendHook), against a nats-server that goes away and
// comes back.
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, ensureStreams, silentLog, type Bus } from '@jetprow/bus';
import { eventSubject, Streams } from '@jetprow/core';
import type { GitHubEvent } from '@jetprow/schemas';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { ACCEPTED_BODY } from './app.js';
import { sendHook } from './phony.js';
import { singleTokenSecrets } from './secret.js';
import { startHook, type RunningHook } from './start-hook.js';
import { hookExample, metricValue } from '../testing/test-support.js';

const SECRET = 'phony-secret';
let nats: NatsHarness;
let bus: Bus;
let hook: RunningHook;
let registry: Registry;
let address: string;

beforeAll(async () => {
  nats = await startNats();
  bus = await connectBus(nats.url, 'hook-start-test');
  await ensureStreams(bus.jsm);
  registry = new Registry();
  hook = await startHook({
    bus,
    getSecrets: () => singleTokenSecrets(SECRET),
    log: silentLog,
    registry,
    port: 0,
    host: '127.0.0.1',
    publishTimeoutMs: 2000,
  });
  address = `http://127.0.0.1:${hook.port}/hook`;
});
afterAll(async () => {
  await hook?.stop();
  await bus?.close();
  await nats?.stop();
});

/** How many messages the events stream holds on `subject`. */
async function countOn(subject: string): Promise<number> {
  const info = await bus.jsm.streams.info(Streams.events, { subjects_filter: subject });
  return info.state.subjects?.[subject] ?? 0;
}

async function storedEvent(subject: string, delivery: string): Promise<GitHubEvent | undefined> {
  const m = await bus.jsm.streams.getMessage(Streams.events, { last_by_subj: subject });
  return m?.header.get('Prow-Delivery') === delivery ? m.json<GitHubEvent>() : undefined;
}

describe('phony examples through a listening hook', () => {
  const cases = [
    {
      name: '/test all comment on PR #1',
      file: 'test_all_comment.json',
      event: 'issue_comment',
      want: {
        org: 'jetprow-demo',
        repo: 'hello',
        action: 'created',
        sender: 'phony-member',
        comment: {
          action: 'created',
          body: '/test all',
          author: 'phony-member',
          is_pr: true,
          number: 1,
          issue_state: 'open',
          issue_author: 'phony-member',
        },
      },
    },
    {
      name: 'PR #1 opened',
      file: 'opened_pr.json',
      event: 'pull_request',
      want: {
        org: 'jetprow-demo',
        repo: 'hello',
        action: 'opened',
        pull_request: {
          number: 1,
          state: 'open',
          author: 'phony-member',
          head_sha: '0123456789abcdef0123456789abcdef01234567',
          base_ref: 'main',
          html_url: 'https://github.com/jetprow-demo/hello/pull/1',
        },
      },
    },
    {
      name: 'push to main',
      file: 'push.json',
      event: 'push',
      want: {
        org: 'jetprow-demo',
        repo: 'hello',
        push: { ref: 'refs/heads/main', deleted: false, pusher: 'phony-member' },
      },
    },
  ];
  for (const tc of cases) {
    it(`${tc.name}: 200 after the event is stored`, async () => {
      const res = await sendHook({
        address,
        event: tc.event,
        hmac: SECRET,
        payload: hookExample(tc.file),
      });
      expect(res).toMatchObject({ status: 200, body: ACCEPTED_BODY });
      expect(res.delivery).toMatch(/^[0-9a-f-]{36}$/);
      const ev = await storedEvent(eventSubject(tc.event, 'jetprow-demo', 'hello'), res.delivery);
      expect(ev).toMatchObject({ delivery: res.delivery, event: tc.event, ...tc.want });
    });
  }

  it('phony signed with the wrong secret gets Prow 403', async () => {
    const res = await sendHook({
      address,
      event: 'push',
      hmac: 'nope',
      payload: hookExample('push.json'),
    });
    expect(res.status).toBe(403);
    expect(res.body).toContain(
      'misconfigured webhook secret from organization/repo: jetprow-demo/hello',
    );
  });

  it('serves Prow legacy health on /', async () => {
    const res = await fetch(`http://127.0.0.1:${hook.port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('answers 413 over a real socket for a 26 MiB body', async () => {
    const payload = `{"zen": "${'z'.repeat(26 * 1024 * 1024)}"}`;
    const res = await sendHook({ address, event: 'ping', hmac: SECRET, payload });
    expect(res.status).toBe(413);
    expect(res.body).toContain('413 Request Entity Too Large');
  });
});

describe('when nats-server is down', () => {
  it('is not ready, answers 503, and stores the redelivery once the bus is back', async () => {
    expect(hook.ready()).toBe(true);
    const payload = hookExample('test_all_comment.json');
    const subject = eventSubject('issue_comment', 'jetprow-demo', 'hello');
    const delivery = randomUUID();

    await nats.server.stop();
    await expect.poll(() => hook.ready(), { timeout: 10_000 }).toBe(false);
    const down = await sendHook({
      address,
      event: 'issue_comment',
      hmac: SECRET,
      payload,
      delivery,
    });
    expect(down.status).toBe(503);
    expect(down.body).toContain('event not stored');
    expect(
      await metricValue(registry, 'jetprow_hook_publish_seconds', { outcome: 'timeout' }),
    ).toBeGreaterThanOrEqual(1);

    await nats.restart();
    await expect.poll(() => hook.ready(), { timeout: 20_000 }).toBe(true);
    // GitHub's redelivery of the failed delivery reuses its GUID: stored once, even if the client
    // flushed the timed-out publish after reconnecting.
    const before = await countOn(subject);
    await expect
      .poll(
        async () =>
          (await sendHook({ address, event: 'issue_comment', hmac: SECRET, payload, delivery }))
            .status,
        { timeout: 20_000 },
      )
      .toBe(200);
    const again = await sendHook({
      address,
      event: 'issue_comment',
      hmac: SECRET,
      payload,
      delivery,
    });
    expect(again.status).toBe(200);
    expect(await countOn(subject)).toBeLessThanOrEqual(before + 1);
    expect((await storedEvent(subject, delivery))?.comment?.body).toBe('/test all');

    // And a new delivery goes straight through.
    const fresh = await sendHook({ address, event: 'issue_comment', hmac: SECRET, payload });
    expect(fresh.status).toBe(200);
    expect(await storedEvent(subject, fresh.delivery)).toMatchObject({ delivery: fresh.delivery });
  });
});

describe('when nats-server comes back within the deadline', () => {
  it('retries the publish and answers 200: a restart costs latency, not a 503', async () => {
    const patient = await startHook({
      bus,
      getSecrets: () => singleTokenSecrets(SECRET),
      log: silentLog,
      registry: new Registry(),
      port: 0,
      host: '127.0.0.1',
      publishTimeoutMs: 9000,
    });
    try {
      const payload = hookExample('test_all_comment.json');
      const subject = eventSubject('issue_comment', 'jetprow-demo', 'hello');
      await nats.server.stop();
      const sent = sendHook({
        address: `http://127.0.0.1:${patient.port}/hook`,
        event: 'issue_comment',
        hmac: SECRET,
        payload,
      });
      await new Promise((r) => setTimeout(r, 700)); // a few attempts fail meanwhile
      await nats.restart();
      const res = await sent;
      expect(res.status).toBe(200);
      expect((await storedEvent(subject, res.delivery))?.comment?.body).toBe('/test all');
      await expect.poll(() => patient.ready(), { timeout: 10_000 }).toBe(true);
    } finally {
      await patient.stop();
    }
  }, 30_000);
});

describe('stop', () => {
  it('lets an in-flight delivery finish, then stops listening', async () => {
    await nats.server.stop(); // the delivery will wait for its publish deadline
    await expect.poll(() => hook.ready(), { timeout: 10_000 }).toBe(false);
    const validated = await metricValue(registry, 'prow_webhook_counter', { event_type: 'push' });
    const inFlight = sendHook({
      address,
      event: 'push',
      hmac: SECRET,
      payload: hookExample('push.json'),
    });
    await expect
      .poll(() => metricValue(registry, 'prow_webhook_counter', { event_type: 'push' }), {
        timeout: 10_000,
      })
      .toBe(validated + 1);
    const stopped = hook.stop();
    expect(hook.ready()).toBe(false);
    const res = await inFlight;
    expect(res.status).toBe(503); // answered, not cut off
    await stopped;
    const after = await fetch(address, { method: 'POST' }).catch((err: unknown) => err);
    expect(after).toBeInstanceOf(Error);
    await nats.restart();
  });
});
