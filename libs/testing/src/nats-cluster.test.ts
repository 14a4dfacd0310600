// The 3-node cluster harness itself: three real nats-servers routed to each other with a meta
// leader; a SIGKILLed node comes back on the same ports and store; leaders are read from the
// monitoring endpoint, each node trusted only about itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type Bus } from '@jetprow/bus';
import { startNatsCluster, type NatsCluster } from './nats-cluster.js';

let cluster: NatsCluster;
let bus: Bus;
beforeAll(async () => {
  cluster = await startNatsCluster({ nodes: 3 });
  bus = await connectBus(cluster.urls, 'cluster-harness-test');
});
afterAll(async () => {
  await bus?.close();
  await cluster?.stop();
});

describe('startNatsCluster', () => {
  it('three servers on their own ports and stores, one JetStream meta group', async () => {
    expect(cluster.nodes.map((n) => n.name)).toEqual(['n0', 'n1', 'n2']);
    expect(cluster.urls.split(',')).toEqual(cluster.nodes.map((n) => n.url));
    const ports = cluster.nodes.flatMap((n) => [n.port, n.clusterPort, new URL(n.monitorUrl).port]);
    expect(new Set(ports).size).toBe(9);
    expect(new Set(cluster.nodes.map((n) => n.storeDir)).size).toBe(3);
    expect(['n0', 'n1', 'n2']).toContain(await cluster.metaLeader());
    for (const node of cluster.nodes) {
      const jsz = (await (await fetch(`${node.monitorUrl}/jsz`)).json()) as {
        meta_cluster: { cluster_size: number };
      };
      expect(jsz.meta_cluster.cluster_size, node.name).toBe(3);
    }
  });

  it('leaderOf names the node holding an R1 stream; kill and restart keep its ports and store', async () => {
    await bus.jsm.streams.add({ name: 'ONE', subjects: ['one.>'], num_replicas: 1 });
    await bus.js.publish('one.x', 'kept');
    const i = await cluster.waitForLeader('ONE', { timeoutMs: 10_000 });
    const node = cluster.nodes[i]!;
    const { port, storeDir } = node;

    await cluster.kill(i);
    expect(node.running).toBe(false);
    expect(await cluster.leaderOf('ONE')).toBeUndefined(); // its only copy is down
    await expect(fetch(`${node.monitorUrl}/healthz`)).rejects.toThrow();

    await cluster.restart(i);
    expect(node.running).toBe(true);
    expect([node.port, node.storeDir]).toEqual([port, storeDir]);
    expect(await cluster.waitForLeader('ONE', { timeoutMs: 15_000 })).toBe(i);
    expect((await bus.jsm.streams.info('ONE')).state.messages).toBe(1);
  });

  it('waitForReplicas waits for an R3 stream with every follower current', async () => {
    await bus.jsm.streams.add({ name: 'THREE', subjects: ['three.>'], num_replicas: 3 });
    const leader = await cluster.waitForReplicas('THREE', 3, { timeoutMs: 15_000 });
    const si = await bus.jsm.streams.info('THREE');
    expect(si.cluster?.leader).toBe(cluster.nodes[leader]!.name);
    expect(si.cluster?.replicas?.every((r) => r.current)).toBe(true);
  });
});
