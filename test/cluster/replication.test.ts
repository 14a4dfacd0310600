// `jetprow all --nats-url=<3-node cluster> --nats-replicas=3`, as an operator runs it: every
// stream, KV bucket and object store the five services create is R3 on the three servers (with
// every durable consumer), and what an older jetprow left at one replica — the streams, the
// ProwJob bucket with a job in it, the payload object store with a body in it — is raised to R3
// when the services start, its data kept and the raise logged. `all` forwards the flag to every
// service: without it nothing here would be raised.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  connectBus,
  ensureStreams,
  getPayload,
  payloadStore,
  putPayload,
  PAYLOAD_BUCKET,
  type Bus,
} from '@jetprow/bus';
import { newProwJob, periodicSpec, Streams } from '@jetprow/core';
import { KvJobStore } from '@jetprow/store';
import {
  cliBin,
  freePortRange,
  example,
  repoRoot,
  sendWebhook,
  startNatsCluster,
  type NatsCluster,
} from '@jetprow/testing';

/** What every service creates (docs/architecture.md, "Bus layout"). */
const EXPECTED = [
  ...Object.values(Streams),
  'KV_prowjobs',
  'KV_prow-timers',
  'KV_prow-horologium',
  'KV_plank-locks',
  'KV_reporter-budget',
  'KV_reporter-writes',
  'KV_reporter-pr-reports',
  `OBJ_${PAYLOAD_BUCKET}`,
];

let cluster: NatsCluster;
let bus: Bus;
let all: ChildProcess | undefined;
let out = '';
let dataDir: string;
const secret = readFileSync(join(repoRoot, 'examples/demo/hmac-secret'), 'utf8').trim();

beforeAll(async () => {
  cluster = await startNatsCluster({ nodes: 3 });
  // An observer with no replica count of its own: it never changes one.
  bus = await connectBus(cluster.urls, 'replication-observer');
  dataDir = mkdtempSync(join(tmpdir(), 'jetprow-cluster-'));
});
afterAll(async () => {
  if (all && all.exitCode === null) {
    const exited = new Promise((r) => all!.once('exit', r));
    process.kill(-all.pid!, 'SIGTERM');
    // The services drain at once; each then waits for `all` to close its stdin, which `all` does
    // only after its 15 s kill timer. Ending `all` once every service has stopped closes them.
    const deadline = Date.now() + 15_000;
    while ((out.match(/INFO +stopped$/gm) ?? []).length < 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (all.exitCode === null) process.kill(-all.pid!, 'SIGKILL');
    await exited;
  }
  await bus?.close();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitFor(re: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!re.test(out)) {
    if (all?.exitCode !== null) throw new Error(`jetprow all exited before ${re}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`no ${re} in ${timeoutMs} ms:\n${out.slice(-8000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('jetprow all on a 3-node cluster with --nats-replicas=3', { timeout: 150_000 }, () => {
  it('every stream, KV bucket, object store and durable consumer is R3; what was R1 is raised with its data', async () => {
    // What a jetprow before --nats-replicas left on the cluster: everything R1, with data.
    await ensureStreams(bus.jsm);
    const old = await KvJobStore.open(bus.js);
    const job = newProwJob(periodicSpec({ name: 'old-periodic' }), {
      name: 'old-periodic-1',
      now: new Date(),
    });
    job.status = { ...job.status, state: 'success', completionTime: new Date().toISOString() };
    await old.create(job);
    const seeded = new TextEncoder().encode('a body kept before the upgrade');
    await putPayload(await payloadStore(bus), 'seeded', seeded);
    for (const name of [...Object.values(Streams), 'KV_prowjobs', `OBJ_${PAYLOAD_BUCKET}`]) {
      expect((await bus.jsm.streams.info(name)).config.num_replicas, name).toBe(1);
    }

    const hook = await freePortRange(1);
    const health = await freePortRange(5);
    const metrics = await freePortRange(5);
    const startedAt = Date.now();
    all = spawn(
      process.execPath,
      [
        cliBin,
        'all',
        `--nats-url=${cluster.urls}`,
        '--nats-replicas=3',
        `--data-dir=${dataDir}`,
        `--port=${hook}`,
        `--health-port=${health}`,
        `--metrics-port=${metrics}`,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    const keep = (d: Buffer) => void (out += d.toString());
    all.stdout!.on('data', keep);
    all.stderr!.on('data', keep);
    // 14 streams and ~25 durable consumers, each its own Raft group: ~11 s on a quiet 2-core box.
    await waitFor(/jetprow is up/, 90_000);
    const upMs = Date.now() - startedAt;

    // hook opens the payload store on the first body too big for one message.
    const body = { ...example('push'), padding: 'x'.repeat(1_500_000) };
    const delivery = randomUUID();
    const res = await sendWebhook(`http://127.0.0.1:${hook}/hook`, secret, 'push', body, delivery);
    expect(res.status, res.body).toBe(200);

    // Every stream the services made (whatever its name) is R3, each peer caught up.
    const names: string[] = [];
    for await (const name of bus.jsm.streams.names()) names.push(name);
    expect(names).toEqual(expect.arrayContaining(EXPECTED));
    for (const name of names) {
      await cluster.waitForReplicas(name, 3, { timeoutMs: 15_000 });
      const si = await bus.jsm.streams.info(name);
      expect(si.config.num_replicas, name).toBe(3);
      const peers = [si.cluster!.leader, ...(si.cluster!.replicas ?? []).map((r) => r.name)];
      expect(peers.sort(), name).toEqual(['n0', 'n1', 'n2']);
      // Durable consumers (the services' work queues) follow their stream to R3.
      for await (const ci of bus.jsm.consumers.list(name)) {
        if (!ci.config.durable_name) continue; // KV watchers: ephemeral, R1 by design
        expect(ci.cluster?.replicas, `${name} > ${ci.name}`).toHaveLength(2);
      }
    }

    // The R1 ones were raised, their data kept, and the raise logged.
    for (const s of Object.values(Streams)) {
      expect(out).toContain(`stream ${s}: replicas raised from 1 to 3`);
    }
    expect(out).toContain('KV bucket prowjobs: replicas raised from 1 to 3');
    expect(out).toContain(`object store ${PAYLOAD_BUCKET}: replicas raised from 1 to 3`);
    expect((await old.get('old-periodic-1'))?.status.state).toBe('success');
    const store = await payloadStore(bus);
    expect(Buffer.from((await getPayload(store, 'seeded'))!).toString()).toBe(
      'a body kept before the upgrade',
    );
    expect((await getPayload(store, delivery))?.length).toBe(JSON.stringify(body).length);

    console.info(
      `jetprow all up on the cluster in ${upMs} ms; ${names.length} streams, all R3: ${names.sort().join(', ')}`,
    );
  });
});
