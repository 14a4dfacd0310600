// `jetprow all` accepts exactly the flags some service reads, and hands each service only its own.
import { describe, expect, it } from 'vitest';
import { FLAG_OF, flagTokens, type OptionKey } from '@jetprow/service';
import { forwardedFlags, readers, SERVICES } from './all.js';

const byName = Object.fromEntries(SERVICES.map((d) => [d.name, d]));

describe('jetprow all: which service gets which flag', () => {
  it('every flag all accepts is read by at least one service (none accepted and ignored)', () => {
    for (const key of Object.keys(FLAG_OF) as OptionKey[]) {
      expect(readers(key), `--${FLAG_OF[key]}`).not.toEqual([]);
    }
  });

  const rows: { flag: string; to: string[] }[] = [
    { flag: '--kubeconfig=/k', to: ['trigger', 'plank', 'reporter', 'sinker'] },
    { flag: '--in-cluster=true', to: ['trigger', 'plank', 'reporter', 'sinker'] },
    { flag: '--github-app-id=7', to: ['trigger', 'reporter'] },
    { flag: '--github-app-private-key-path=/key', to: ['trigger', 'reporter'] },
    { flag: '--github-write-limits=10/1m', to: ['reporter'] },
  ];
  for (const { flag, to } of rows) {
    it(`${flag} goes to ${to.join(', ')}`, () => {
      const tokens = flagTokens([flag]);
      const got = SERVICES.filter((d) => forwardedFlags(d, tokens).length > 0).map((d) => d.name);
      expect(got).toEqual(to);
      for (const svc of to) expect(forwardedFlags(byName[svc]!, tokens)).toEqual([flag]);
    });
  }

  it('flags all sets itself (ports, config defaults, the sandbox) are not forwarded verbatim', () => {
    const tokens = flagTokens([
      '--port=1',
      '--health-port=2',
      '--nats-url=nats://x:1',
      '--dry-run',
    ]);
    for (const d of SERVICES) expect(forwardedFlags(d, tokens)).toEqual([]);
  });
});
