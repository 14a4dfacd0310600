// The bus on a real 3-node nats-server cluster with --nats-replicas 3: every PROW_* stream is R3,
// and SIGKILL of the node leading PROW_EVENTS costs a leader election, not data: a publish
// through the bus is taken again once a new leader is elected, every event stored before the
// kill is still there (and still deduplicated), and the stream is R3 again with the node back.
// (hook retrying a publish until its deadline is hook's; here the test retries.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventSubject, Streams } from '@jetprow/core';
import { startNatsCluster, type NatsCluster } from '@jetprow/testing';
import { connectBus, type Bus } from './connect.js';
import { ensureStreams, streamConfigs } from './streams.js';
import { publishJson } from './publish.js';

const raised: string[] = [];
const log = {
  debug() {},
  info: (_: object, msg?: string) => void raised.push(msg ?? ''),
  warn() {},
  error() {},
  child: () => log,
};

let cluster: NatsCluster;
let bus: Bus;
beforeAll(async () => {
  cluster = await startNatsCluster({ nodes: 3 });
  bus = await connectBus(cluster.urls, 'replication-test', { replicas: 3, log });
});
afterAll(async () => {
  await bus?.close();
  await cluster?.stop();
});

describe('connectBus', () => {
  it('keeps the replica count (default 1) and refuses one JetStream cannot have', async () => {
    expect(bus.replicas).toBe(3);
    const plain = await connectBus(cluster.urls, 'replication-default');
    expect(plain.replicas).toBe(1);
    await plain.close();
    await expect(connectBus(cluster.urls, 'x', { replicas: 0 })).rejects.toThrow(
      'replicas: 0 is not a count from 1 to 5',
    );
    await expect(connectBus(cluster.urls, 'x', { replicas: 6 })).rejects.toThrow(RangeError);
  });
});

describe('PROW_* streams with replicas 3', () => {
  it('ensureStreams makes every stream R3, placed on all three servers', async () => {
    await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
    const names = streamConfigs().map((c) => c.name);
    expect(names).toEqual([
      Streams.events,
      Streams.jobs,
      Streams.reports,
      Streams.intents,
      Streams.timers,
    ]);
    for (const name of names) {
      await cluster.waitForReplicas(name, 3, { timeoutMs: 15_000 });
      const si = await bus.jsm.streams.info(name);
      expect(si.config.num_replicas, name).toBe(3);
      expect(si.cluster?.replicas, name).toHaveLength(2);
      const peers = [si.cluster!.leader, ...si.cluster!.replicas!.map((r) => r.name)].sort();
      expect(peers, name).toEqual(['n0', 'n1', 'n2']);
    }
    expect(raised).toEqual([]); // created R3: nothing to raise
  });

  it('a start that finds the streams as configured changes nothing; a changed setting is applied, replicas kept', async () => {
    await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
    const update = vi.spyOn(bus.jsm.streams, 'update');
    try {
      await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
      expect(update).not.toHaveBeenCalled();
      await ensureStreams(bus.jsm, { replicas: 1, eventsMaxAgeMs: 3 * 24 * 3600_000 });
      expect(update.mock.calls.map((c) => c[0])).toEqual([Streams.events]);
    } finally {
      update.mockRestore();
    }
    const si = await bus.jsm.streams.info(Streams.events);
    expect(si.config.max_age).toBe(3 * 24 * 3600 * 1e9);
    expect(si.config.num_replicas).toBe(3);
    await ensureStreams(bus.jsm, { replicas: bus.replicas }); // back to the default max age
  });

  it('SIGKILL of the node leading PROW_EVENTS: a new leader, publishes go on, nothing lost, R3 again after restart', async () => {
    await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
    const subject = eventSubject('pull_request', 'kubernetes', 'test-infra');
    const before = 30;
    for (let i = 0; i < before; i++) {
      await publishJson(bus.js, subject, { n: i }, { msgID: `delivery-${i}` });
    }
    const leader = await cluster.waitForReplicas(Streams.events, 3, { timeoutMs: 15_000 });

    const killedAt = Date.now();
    await cluster.kill(leader);
    // Publish until a deadline, as hook does within GitHub's 10 s (hook's own retry is not here).
    let attempts = 0;
    let ack;
    const deadline = killedAt + 20_000;
    for (;;) {
      attempts++;
      try {
        ack = await publishJson(
          bus.js,
          subject,
          { n: 'after' },
          { msgID: 'after', timeoutMs: 1000 },
        );
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const publishedMs = Date.now() - killedAt;
    const next = await cluster.waitForLeader(Streams.events, { except: leader, timeoutMs: 15_000 });
    expect(next).not.toBe(leader);
    expect(ack.duplicate).toBe(false);
    expect(ack.seq).toBe(before + 1);

    // Everything stored before the kill is on the new leader, and still deduplicated.
    const si = await bus.jsm.streams.info(Streams.events);
    expect(si.state.messages).toBe(before + 1);
    for (let seq = 1; seq <= before; seq++) {
      const m = await bus.jsm.streams.getMessage(Streams.events, { seq });
      expect(m?.json<{ n: number }>().n).toBe(seq - 1);
      expect(m?.header.get('Nats-Msg-Id')).toBe(`delivery-${seq - 1}`);
    }
    const again = await publishJson(bus.js, subject, { n: 0 }, { msgID: 'delivery-0' });
    expect(again.duplicate).toBe(true);

    // The node comes back on its own store: it catches up and the stream is R3 on all three.
    const restartAt = Date.now();
    await cluster.restart(leader);
    await cluster.waitForReplicas(Streams.events, 3, { timeoutMs: 20_000 });
    const caughtUpMs = Date.now() - restartAt;
    const after = await bus.jsm.streams.info(Streams.events);
    expect(after.config.num_replicas).toBe(3);
    expect(after.cluster?.replicas).toHaveLength(2);
    expect(after.cluster?.replicas?.every((r) => r.current)).toBe(true);
    expect(after.state.messages).toBe(before + 1);
    // A service starting now (ensureStreams again) finds R3 and changes no count.
    await ensureStreams(bus.jsm, { replicas: bus.replicas, log: bus.log });
    expect((await bus.jsm.streams.info(Streams.events)).config.num_replicas).toBe(3);
    expect(raised).toEqual([]);

    console.info(
      `PROW_EVENTS failover: killed n${leader}; first publish taken ${publishedMs} ms after the kill (${attempts} attempts); new leader n${next}; n${leader} restarted and caught up in ${caughtUpMs} ms`,
    );
  });
});
