// --nats-url and --nats-replicas: the bus every service connects to, and the replicas of every
// stream, KV bucket and object store jetprow creates on it.
import { describe, expect, it } from 'vitest';
import { ALL_GROUPS, natsOptions, parseFlags, usageText, UsageError } from './index.js';

const parse = (argv: string[]) => {
  const r = parseFlags(argv, [natsOptions], { command: 'svc', known: ALL_GROUPS });
  if (r.help) throw new Error('help');
  return r;
};

describe('--nats-replicas', () => {
  it('defaults to 1 (a single nats-server, as jetprow all embeds)', () => {
    expect(parse([]).natsReplicas).toBe(1);
  });

  it('takes 1 to 5, the replicas JetStream allows', () => {
    for (const n of [1, 2, 3, 4, 5]) {
      expect(parse([`--nats-replicas=${n}`]).natsReplicas).toBe(n);
      expect(parse(['--nats-replicas', String(n)]).natsReplicas).toBe(n);
    }
    expect(parse(['--nats-url=nats://a:1,nats://b:2', '--nats-replicas=3'])).toEqual({
      help: false,
      natsUrl: 'nats://a:1,nats://b:2',
      natsReplicas: 3,
    });
  });

  it('refuses anything else, naming the flag', () => {
    for (const v of ['0', '6', '-1', '1.5', 'three', '', '03']) {
      const call = () => parse([`--nats-replicas=${v}`]);
      expect(call, v).toThrow(UsageError);
      expect(call, v).toThrow(
        `--nats-replicas: "${v}" is not a replica count from 1 to 5 (JetStream's limit)`,
      );
    }
  });

  it('--help shows it with its default', () => {
    const text = usageText({ command: 'svc', groups: [natsOptions], summary: 'S.' });
    expect(text).toMatch(/--nats-replicas N +replicas of every stream, KV bucket and object store/);
    expect(text).toContain('(default 1)');
  });
});
