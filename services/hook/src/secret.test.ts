import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HmacSecretsError, loadHmacSecrets, parseHmacSecrets, tokensFor } from './secret.js';

const dir = mkdtempSync(join(tmpdir(), 'hook-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
/** What loading the secret file at `path` throws (undefined when it loads). */
function loadError(path: string): unknown {
  try {
    loadHmacSecrets(path);
  } catch (err) {
    return err;
  }
  return undefined;
}

const MAP = `
'*':
- value: global-token
  created_at: 2020-01-01T00:00:00Z
jetprow-demo:
- value: org-token-old
  created_at: 2021-01-01T00:00:00Z
- value: org-token-new
  created_at: 2022-01-01T00:00:00Z
jetprow-demo/special:
- value: repo-token
  created_at: 2023-01-01T00:00:00Z
`;

describe('secret file formats', () => {
  const cases = [
    { name: 'a single raw token', text: 'abcde12345', orgRepo: 'any/repo', want: ['abcde12345'] },
    {
      name: 'a single token is trimmed like Prow (TrimSpace)',
      text: '  abcde12345 \n\n',
      orgRepo: 'o/r',
      want: ['abcde12345'],
    },
    {
      name: 'a single numeric-looking token keeps its bytes',
      text: '0123',
      orgRepo: 'o/r',
      want: ['0123'],
    },
    {
      name: 'a single token applies to org-level events too',
      text: 'tok',
      orgRepo: 'some-org',
      want: ['tok'],
    },
    {
      name: 'map: the repo level wins',
      text: MAP,
      orgRepo: 'jetprow-demo/special',
      want: ['repo-token'],
    },
    {
      name: 'map: the org level for other repos of the org (both rotation tokens)',
      text: MAP,
      orgRepo: 'jetprow-demo/hello',
      want: ['org-token-old', 'org-token-new'],
    },
    {
      name: 'map: the org level for org-level events',
      text: MAP,
      orgRepo: 'jetprow-demo',
      want: ['org-token-old', 'org-token-new'],
    },
    {
      name: 'map: * for everything else',
      text: MAP,
      orgRepo: 'other/repo',
      want: ['global-token'],
    },
    {
      name: 'map: * for events with neither repo nor org',
      text: MAP,
      orgRepo: '',
      want: ['global-token'],
    },
    {
      name: 'map without *: nothing for unknown repos',
      text: 'o/r:\n- value: x\n',
      orgRepo: 'other/repo',
      want: undefined,
    },
    { name: 'flow-style YAML map', text: '{"o": [{"value": "t"}]}', orgRepo: 'o/r', want: ['t'] },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const secrets = loadHmacSecrets(file(`${tc.name.replace(/\W+/g, '-')}.txt`, tc.text));
      expect(tokensFor(secrets, tc.orgRepo)).toEqual(tc.want);
    });
  }
});

describe('bad secret files', () => {
  const cases = [
    { name: 'empty', text: '', problem: 'empty' },
    { name: 'whitespace only', text: ' \n\t\n', problem: 'empty' },
    {
      name: 'a level that is not a list',
      text: 'o/r: token\n',
      problem: '"o/r": want a non-empty list',
    },
    { name: 'an empty list', text: 'o/r: []\n', problem: '"o/r": want a non-empty list' },
    {
      name: 'an entry without value',
      text: 'o/r:\n- created_at: 2020-01-01\n',
      problem: '"o/r"[0]: want a non-empty string "value"',
    },
    {
      name: 'an empty value',
      text: "o:\n- value: ''\n",
      problem: '"o"[0]: want a non-empty string "value"',
    },
    {
      name: 'a multi-line non-map',
      text: 'token-one\ntoken-two\n',
      problem: 'neither a single-line token nor a YAML map',
    },
    {
      name: 'a YAML list',
      text: '- a\n- b\n',
      problem: 'neither a single-line token nor a YAML map',
    },
    { name: 'an empty map', text: '{}', problem: 'configures no secrets' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const path = file(`bad-${tc.name.replace(/\W+/g, '-')}.txt`, tc.text);
      const caught = loadError(path);
      expect(caught).toBeInstanceOf(HmacSecretsError);
      expect((caught as HmacSecretsError).file).toBe(path);
      expect((caught as Error).message).toContain(path);
      expect((caught as Error).message).toContain(tc.problem);
    });
  }

  it('a missing file names the file and keeps the cause', () => {
    const path = join(dir, 'does-not-exist');
    const caught = loadError(path);
    expect(caught).toBeInstanceOf(HmacSecretsError);
    expect((caught as Error).message).toContain(path);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });

  it('parseHmacSecrets names the file it was given', () => {
    expect(() => parseHmacSecrets('x: 1', '/etc/webhook/hmac')).toThrow(/\/etc\/webhook\/hmac/);
  });
});
