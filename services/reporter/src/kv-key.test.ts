import { describe, expect, it } from 'vitest';
import { kvKey, kvKeyPart } from './kv-key.js';

describe('kvKey: GitHub names as JetStream KV keys', () => {
  const cases = [
    { value: 'acme', want: 'acme' },
    { value: 'kubernetes.github.io', want: 'kubernetes=2Egithub=2Eio' },
    { value: '.github', want: '=2Egithub' },
    { value: 'a=b c', want: 'a=3Db=20c' },
    { value: 'ünï', want: '=C3=BCn=C3=AF' },
    { value: '', want: '=' },
  ];
  for (const tc of cases)
    it(`${JSON.stringify(tc.value)} → ${tc.want}`, () => expect(kvKeyPart(tc.value)).toBe(tc.want));
  it('joins parts with /', () => expect(kvKey('acme', 'widgets', 12)).toBe('acme/widgets/12'));
  it('only uses characters KV keys allow', () => {
    expect(kvKey('a.b', 'c d', '*>')).toMatch(/^[-/_=.a-zA-Z0-9]+$/);
  });
});
