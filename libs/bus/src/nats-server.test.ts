import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServer, NatsServerMissingError, startNatsServer } from './nats-server.js';
import { connectBus } from './connect.js';

describe('finding and starting nats-server', () => {
  it('names the install command when nats-server is missing', () => {
    expect(() => findNatsServer({ PATH: '/nonexistent' }, [])).toThrow(NatsServerMissingError);
    expect(() => findNatsServer({ PATH: '/nonexistent' }, [])).toThrow(
      /apt-get install -y nats-server.*--nats-url/,
    );
  });

  it('finds the Debian binary', () => {
    expect(findNatsServer({ PATH: '' })).toMatch(/nats-server$/);
  });

  it('starts a JetStream server whose state survives a restart on the same store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nats-start-'));
    try {
      const a = await startNatsServer({ storeDir: dir });
      let bus = await connectBus(a.url, 't');
      await bus.jsm.streams.add({ name: 'S', subjects: ['s.>'] });
      await bus.js.publish('s.1', 'x');
      await bus.close();
      await a.stop();
      const b = await startNatsServer({ storeDir: dir, port: a.port });
      bus = await connectBus(b.url, 't');
      expect((await bus.jsm.streams.info('S')).state.messages).toBe(1);
      await bus.close();
      await b.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails to connect with an error naming the URL', async () => {
    await expect(connectBus('nats://127.0.0.1:1', 't')).rejects.toThrow(
      'cannot connect to NATS at nats://127.0.0.1:1',
    );
  });
});
