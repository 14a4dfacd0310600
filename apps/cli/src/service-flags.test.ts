// Each service's --help lists exactly the flags it reads, and any other jetprow flag is refused.
import { describe, expect, it } from 'vitest';
import {
  ALL_GROUPS,
  parseServiceFlags,
  serviceFlags,
  serviceUsage,
  UsageError,
} from '@jetprow/service';
import { SERVICES } from './all.js';

const every = ALL_GROUPS.flatMap((g) => g.flags);

describe.each(SERVICES.map((d) => [d.name, d] as const))('jetprow %s', (name, def) => {
  it('--help lists exactly its flags, each once', () => {
    const listed = [...serviceUsage(def).matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]!);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(serviceFlags(def));
  });

  it('refuses every jetprow flag it does not read, by name (exit 2)', () => {
    const foreign = every.filter((f) => !serviceFlags(def).has(f.name) && f.name !== 'dry-run');
    for (const f of foreign) {
      const argv = ['--nats-url=nats://127.0.0.1:1', f.boolean ? `--${f.name}` : `--${f.name}=x`];
      expect(() => parseServiceFlags(def, argv), f.name).toThrow(UsageError);
      expect(() => parseServiceFlags(def, argv), f.name).toThrow(
        `--${f.name}: ${name} does not use this flag`,
      );
    }
  });

  it('names its required flags in the synopsis', () => {
    const synopsis = serviceUsage(def).split('\n')[0]!;
    expect(synopsis).toMatch(new RegExp(`^Usage: jetprow ${name} --nats-url URL`));
    for (const r of def.required ?? []) expect(synopsis).toContain(`--${r} `);
  });
});
