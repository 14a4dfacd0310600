// A flag is used or refused, never ignored.
import { describe, expect, it } from 'vitest';
import { refuseUnusedFlags, UsageError } from './flags.js';

describe('refuseUnusedFlags', () => {
  const reads = ['natsUrl', 'dataDir'] as const;
  const rows: { argv: string[]; error?: RegExp }[] = [
    { argv: ['--nats-url=nats://x:1', '--data-dir', '/d'] },
    { argv: ['--help'] },
    { argv: ['--dry-run=false'] }, // the behaviour of a service that writes nothing to GitHub
    { argv: ['--dry-run'], error: /^--dry-run: svc has no dry-run mode/ },
    { argv: ['--dry-run=true'], error: /^--dry-run: svc has no dry-run mode/ },
    { argv: ['--port=1'], error: /^--port: svc does not use this flag$/ },
    { argv: ['--kubeconfig', '/k'], error: /^--kubeconfig: svc does not use this flag$/ },
    { argv: ['--nope'], error: /^unknown flag '--nope'/ },
  ];
  for (const { argv, error } of rows) {
    it(`${argv.join(' ')}: ${error ? 'refused' : 'accepted'}`, () => {
      const call = () => refuseUnusedFlags(argv, reads, 'svc');
      if (!error) return expect(call).not.toThrow();
      expect(call).toThrow(UsageError);
      expect(call).toThrow(error);
    });
  }
});
