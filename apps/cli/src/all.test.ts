// `jetprow all` accepts exactly the flags some service reads, and hands each service only its own.
import { describe, expect, it } from 'vitest';
import { ALL_GROUPS, flagTokens } from '@jetprow/service';
import { forwardedFlags, readers, SERVICES, USAGE } from './all.js';

const byName = Object.fromEntries(SERVICES.map((d) => [d.name, d]));

describe('jetprow all: which service gets which flag', () => {
  it('every flag all accepts is read by at least one service (none accepted and ignored)', () => {
    for (const { name } of ALL_GROUPS.flatMap((g) => g.flags)) {
      expect(readers(name), `--${name}`).not.toEqual([]);
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
      const tokens = flagTokens([flag], ALL_GROUPS);
      const got = SERVICES.filter((d) => forwardedFlags(d, tokens).length > 0).map((d) => d.name);
      expect(got).toEqual(to);
      for (const svc of to) expect(forwardedFlags(byName[svc]!, tokens)).toEqual([flag]);
    });
  }

  it('flags all sets itself (ports, config defaults, the sandbox) are not forwarded verbatim', () => {
    const tokens = flagTokens(
      ['--port=1', '--health-port=2', '--nats-url=nats://x:1', '--dry-run'],
      ALL_GROUPS,
    );
    for (const d of SERVICES) expect(forwardedFlags(d, tokens)).toEqual([]);
  });
});

describe('jetprow all --help', () => {
  it('lists every flag once, with the services it is forwarded to', () => {
    for (const { name } of ALL_GROUPS.flatMap((g) => g.flags)) {
      const lines = USAGE.split('\n').filter(
        (l) => l.startsWith(`  --${name} `) || l.startsWith(`  --${name}[`) || l === `  --${name}`,
      );
      expect(lines, `--${name}`).toHaveLength(1);
    }
    const flat = USAGE.replace(/\s+/g, ' ');
    expect(flat).toMatch(/--github-write-limits LIMITS (?:(?! --).)*→ reporter\)/);
    expect(flat).toMatch(/--kubeconfig FILE (?:(?! --).)*→ trigger, plank, reporter, sinker\)/);
    expect(flat).toMatch(/--log-level LEVEL (?:(?! --).)*→ every service\)/);
  });
});
