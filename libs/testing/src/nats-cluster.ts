// A real nats-server cluster on loopback for tests (CONVENTIONS 13): N processes, each with its
// own client, cluster (route) and monitor ports and its own temp store dir, routes to the others,
// JetStream on. Up once every node answers /healthz (which needs contact with a meta leader).
//   await using cluster = await startNatsCluster({ nodes: 3 });
//   const bus = await connectBus(cluster.urls, 'me', { replicas: 3 });
//   const i = await cluster.leaderOf('PROW_EVENTS'); await cluster.kill(i!); … await cluster.restart(i!);
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startNatsServer, type NatsServer } from '@jetprow/bus';

export interface NatsClusterNode {
  /** server_name: `n0`, `n1`, … (what stream and meta leaders are reported as). */
  name: string;
  url: string;
  port: number;
  clusterPort: number;
  monitorUrl: string;
  storeDir: string;
  /** False after kill() until restart(). */
  readonly running: boolean;
}

export interface NatsCluster extends AsyncDisposable {
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL, comma-joined (what connectBus and --nats-url take). */
  readonly urls: string;
  /** SIGKILLs node `i` (no lame duck, no flush: a machine lost). */
  kill(i: number): Promise<void>;
  /** Starts node `i` again on the same ports and store; resolves once its /healthz is ok. */
  restart(i: number): Promise<void>;
  /** The index of the node leading `stream` (as that node itself reports), if one does now. */
  leaderOf(stream: string): Promise<number | undefined>;
  /** Waits until some node other than `except` leads `stream`; its index. */
  waitForLeader(stream: string, opts?: { except?: number; timeoutMs?: number }): Promise<number>;
  /**
   * Waits until `stream` has a leader and `replicas - 1` followers, all current (caught up), as
   * its leader reports them; the leader's index.
   */
  waitForReplicas(stream: string, replicas: number, opts?: { timeoutMs?: number }): Promise<number>;
  /** The meta leader's server name, as the first running node sees it. */
  metaLeader(): Promise<string | undefined>;
  /** Stops every node and removes the store dirs. */
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  /** How many servers (default 3). */
  nodes?: number;
  /** How long start and restart may take (default 30 s). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.json();
}

interface StreamDetail {
  name: string;
  cluster?: { leader?: string; replicas?: { name: string; current: boolean }[] };
}

interface Jsz {
  meta_cluster?: { leader?: string };
  account_details?: { stream_detail?: StreamDetail[] }[];
}

/** Polls `ok` every 50 ms until it holds or `timeoutMs` passes; `what` names it in the error. */
async function until(what: string, timeoutMs: number, ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await ok()) return;
    } catch (err) {
      last = err;
    }
    await sleep(50);
  }
  throw new Error(`nats cluster: ${what} not within ${timeoutMs} ms`, { cause: last });
}

async function healthy(monitorUrl: string): Promise<boolean> {
  const res = await fetch(`${monitorUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return res.ok;
}

/**
 * Starts the cluster; a node that cannot start (a port another suite took between freePort()
 * and the server's bind) makes it start again on fresh ports, up to three times.
 */
export async function startNatsCluster(opts: NatsClusterOptions = {}): Promise<NatsCluster> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      last = err;
      if (!String(err).includes('nats-server failed to start')) throw err;
    }
  }
  throw last;
}

async function startOnce(opts: NatsClusterOptions): Promise<NatsCluster> {
  const n = opts.nodes ?? 3;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const root = mkdtempSync(join(tmpdir(), 'jetprow-nats-cluster-'));
  const ports = await Promise.all(
    Array.from({ length: n }, async () => ({
      port: await freePort(),
      clusterPort: await freePort(),
      monitorPort: await freePort(),
    })),
  );
  const servers: (NatsServer | undefined)[] = Array.from({ length: n }, () => undefined);
  const nodes: NatsClusterNode[] = ports.map((p, i) => {
    const storeDir = join(root, `n${i}`);
    mkdirSync(storeDir, { recursive: true });
    return {
      name: `n${i}`,
      url: `nats://127.0.0.1:${p.port}`,
      port: p.port,
      clusterPort: p.clusterPort,
      monitorUrl: `http://127.0.0.1:${p.monitorPort}`,
      storeDir,
      get running() {
        return servers[i] !== undefined;
      },
    };
  });

  const startNode = async (i: number): Promise<void> => {
    const p = ports[i]!;
    servers[i] = await startNatsServer({
      storeDir: nodes[i]!.storeDir,
      port: p.port,
      monitorPort: p.monitorPort,
      name: nodes[i]!.name,
      cluster: {
        name: 'jetprow-test',
        port: p.clusterPort,
        routes: ports.filter((_, j) => j !== i).map((o) => `nats://127.0.0.1:${o.clusterPort}`),
      },
    });
  };
  const index = (i: number): number => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`no node ${i} (of ${n})`);
    return i;
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(servers.flatMap((s) => (s ? [s.stop()] : [])));
    servers.fill(undefined);
  };

  /** The node leading `stream` and what it says of it. A node is trusted only about itself: a
   * follower may still name a dead leader. */
  const leaderView = async (
    stream: string,
  ): Promise<{ index: number; detail: StreamDetail } | undefined> => {
    const views = await Promise.all(
      nodes.map(async (node, i) => {
        if (!servers[i]) return undefined;
        try {
          const jsz = (await getJson(`${node.monitorUrl}/jsz?streams=true`)) as Jsz;
          const detail = (jsz.account_details ?? [])
            .flatMap((a) => a.stream_detail ?? [])
            .find((s) => s.name === stream);
          return detail?.cluster?.leader === node.name ? { index: i, detail } : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    return views.find((v) => v !== undefined);
  };

  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((node) => node.url).join(','),
    async kill(i) {
      const s = servers[index(i)];
      servers[i] = undefined;
      await s?.stop('SIGKILL');
    },
    async restart(i) {
      await servers[index(i)]?.stop();
      servers[i] = undefined;
      await startNode(i);
      await until(`${nodes[i]!.name} healthy after restart`, timeoutMs, () =>
        healthy(nodes[i]!.monitorUrl),
      );
    },
    async leaderOf(stream) {
      return (await leaderView(stream))?.index;
    },
    async waitForLeader(stream, o = {}) {
      let leader: number | undefined;
      await until(
        `a leader of ${stream}${o.except === undefined ? '' : ` other than n${o.except}`}`,
        o.timeoutMs ?? timeoutMs,
        async () => {
          leader = await cluster.leaderOf(stream);
          return leader !== undefined && leader !== o.except;
        },
      );
      return leader!;
    },
    async waitForReplicas(stream, replicas, o = {}) {
      let leader: number | undefined;
      await until(
        `${stream} with ${replicas} current replicas`,
        o.timeoutMs ?? timeoutMs,
        async () => {
          const view = await leaderView(stream);
          const followers = view?.detail.cluster?.replicas ?? [];
          leader = view?.index;
          return followers.length === replicas - 1 && followers.every((r) => r.current);
        },
      );
      return leader!;
    },
    async metaLeader() {
      const i = servers.findIndex(Boolean);
      if (i === -1) return undefined;
      const jsz = (await getJson(`${nodes[i]!.monitorUrl}/jsz`)) as Jsz;
      return jsz.meta_cluster?.leader || undefined;
    },
    async stop() {
      await stopAll();
      rmSync(root, { recursive: true, force: true });
    },
    async [Symbol.asyncDispose]() {
      await cluster.stop();
    },
  };

  try {
    // Every node settles (started or failed) before a failure stops the ones that started.
    const started = await Promise.allSettled(nodes.map((_, i) => startNode(i)));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    // /healthz (not only js-enabled) is ok once the node is in contact with a meta leader.
    await until('every node healthy with a meta leader', timeoutMs, async () =>
      (await Promise.all(nodes.map((node) => healthy(node.monitorUrl)))).every(Boolean),
    );
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
