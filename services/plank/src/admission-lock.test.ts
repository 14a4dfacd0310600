// Admission locks on a real nats-server: held across connections (replicas), all-or-nothing,
// and freed by the bucket's max age when a holder dies without releasing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type Bus } from '@jetprow/bus';
import { startNats, type NatsHarness } from '@jetprow/testing';
import { lockKey, openAdmissionLock, type AdmissionLock } from './admission-lock.js';

let nats: NatsHarness;
let a: Bus;
let b: Bus;
let lockA: AdmissionLock;
let lockB: AdmissionLock;

beforeAll(async () => {
  nats = await startNats();
  [a, b] = await Promise.all([connectBus(nats.url, 'lock-a'), connectBus(nats.url, 'lock-b')]);
  lockA = await openAdmissionLock(a, 1500);
  lockB = await openAdmissionLock(b, 1500);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await nats.stop();
});

describe('admission locks (KV, shared by replicas)', () => {
  it('a scope held by one replica is busy for another until released', async () => {
    const lease = await lockA.tryAcquire(['job/pull-x'], 'a');
    expect(lease).toBeDefined();
    expect(await lockB.tryAcquire(['job/pull-x'], 'b')).toBeUndefined();
    expect(await lockB.tryAcquire(['job/pull-y'], 'b')).toBeDefined(); // another scope is free
    await lease!.release();
    const again = await lockB.tryAcquire(['job/pull-x'], 'b');
    expect(again).toBeDefined();
    await again!.release();
  });

  it('several scopes are taken all or none', async () => {
    const queue = await lockA.tryAcquire(['queue/heavy'], 'a');
    expect(await lockB.tryAcquire(['job/pull-z', 'queue/heavy', 'global'], 'b')).toBeUndefined();
    // nothing of the failed attempt stays held
    const job = await lockA.tryAcquire(['job/pull-z', 'global'], 'a');
    expect(job).toBeDefined();
    await Promise.all([queue!.release(), job!.release()]);
  });

  it('a holder that dies without releasing frees its lock after the lease', async () => {
    const dead = await lockA.tryAcquire(['global'], 'a'); // never released
    expect(dead).toBeDefined();
    expect(await lockB.tryAcquire(['global'], 'b')).toBeUndefined();
    await expect
      .poll(async () => (await lockB.tryAcquire(['global'], 'b')) !== undefined, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe(true);
  });

  it('scope names of any shape become valid KV keys', () => {
    expect(lockKey('job/pull-kubernetes-e2e.gce:1 2')).toMatch(/^lock\.[-_A-Za-z0-9]+$/);
  });
});
