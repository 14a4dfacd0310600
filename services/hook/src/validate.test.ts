import { describe, expect, it } from 'vitest';
import { parseHmacSecrets, singleTokenSecrets } from './secret.js';
import { example, signBody } from '@jetprow/testing';
import { checkHeaders, verifyPayload } from './validate.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('checkHeaders (Prow order: method, event, delivery, signature, content-type)', () => {
  const good: Record<string, string> = {
    'x-github-event': 'ping',
    'x-github-delivery': 'guid',
    'x-hub-signature-256': 'sha256=00',
    'content-type': 'application/json',
  };
  interface Case {
    name: string;
    method: string;
    drop: string[];
    set: Record<string, string>;
    want: number;
    text?: string;
  }
  const cases: Case[] = [
    { name: 'all present', method: 'POST', drop: [], set: {}, want: 200 },
    { name: 'GET', method: 'GET', drop: [], set: {}, want: 405 },
    {
      name: 'GET and no headers: the method is checked first',
      method: 'GET',
      drop: Object.keys(good),
      set: {},
      want: 405,
    },
    {
      name: 'no event: checked before delivery',
      method: 'POST',
      drop: ['x-github-event', 'x-github-delivery'],
      set: {},
      want: 400,
      text: 'Missing X-GitHub-Event Header',
    },
    {
      name: 'empty event counts as missing',
      method: 'POST',
      drop: [],
      set: { 'x-github-event': '' },
      want: 400,
      text: 'Missing X-GitHub-Event Header',
    },
    {
      name: 'no delivery',
      method: 'POST',
      drop: ['x-github-delivery'],
      set: {},
      want: 400,
      text: 'Missing X-GitHub-Delivery Header',
    },
    {
      name: 'no signature: checked before content-type',
      method: 'POST',
      drop: ['x-hub-signature-256', 'content-type'],
      set: {},
      want: 403,
      text: 'Missing X-Hub-Signature-256',
    },
    {
      name: 'legacy sha1 signature only',
      method: 'POST',
      drop: ['x-hub-signature-256'],
      set: { 'x-hub-signature': 'sha1=00' },
      want: 403,
      text: 'Missing X-Hub-Signature-256',
    },
    {
      name: 'form-encoded',
      method: 'POST',
      drop: [],
      set: { 'content-type': 'application/x-www-form-urlencoded' },
      want: 400,
      text: 'only accepts content-type: application/json',
    },
    {
      name: 'json with charset: exact compare',
      method: 'POST',
      drop: [],
      set: { 'content-type': 'application/json; charset=utf-8' },
      want: 400,
      text: 'only accepts content-type: application/json',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const headers: Record<string, string> = { ...good, ...tc.set };
      for (const d of tc.drop) delete headers[d];
      const r = checkHeaders(tc.method, (n) => headers[n]);
      if (tc.want === 200) {
        expect(r).toEqual({ ok: true, event: 'ping', delivery: 'guid', signature: 'sha256=00' });
        return;
      }
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.status).toBe(tc.want);
      if (tc.want === 405) expect(r.body).toBe('405 Method not allowed\n');
      else expect(r.body).toContain(tc.text);
      expect(r.body.endsWith('\n')).toBe(true);
    });
  }
});

describe('verifyPayload', () => {
  const secrets = parseHmacSecrets(
    `
'*': [{value: global}]
Codertocat: [{value: org-old}, {value: org-new}]
Codertocat/Special: [{value: repo}]
Octocoders: [{value: octo}]
`,
    'test',
  );
  const payload = (fullName: string | null, org?: string) => {
    const p = example('issue_comment');
    p.repository =
      fullName === null ? undefined : { ...(p.repository as object), full_name: fullName };
    if (org) p.organization = { login: org };
    return JSON.stringify(p);
  };
  const cases = [
    { name: 'repo token for its repo', body: payload('Codertocat/Special'), key: 'repo', ok: true },
    {
      name: 'org token rejected when the repo has its own level',
      body: payload('Codertocat/Special'),
      key: 'org-new',
      ok: false,
      text: 'misconfigured webhook secret from organization/repo: Codertocat/Special',
    },
    {
      name: 'global token rejected when the repo has its own level',
      body: payload('Codertocat/Special'),
      key: 'global',
      ok: false,
    },
    {
      name: 'rotation: the old org token',
      body: payload('Codertocat/Hello-World'),
      key: 'org-old',
      ok: true,
    },
    {
      name: 'rotation: the new org token',
      body: payload('Codertocat/Hello-World'),
      key: 'org-new',
      ok: true,
    },
    {
      name: 'global token rejected when the org has a level',
      body: payload('Codertocat/Hello-World'),
      key: 'global',
      ok: false,
      text: 'organization/repo: Codertocat/Hello-World',
    },
    {
      name: 'global token for an unknown org',
      body: payload('someone/else'),
      key: 'global',
      ok: true,
    },
    {
      name: 'org-level event: organization.login picks the level',
      body: payload(null, 'Octocoders'),
      key: 'octo',
      ok: true,
    },
    {
      name: 'org-level event: global token rejected',
      body: payload(null, 'Octocoders'),
      key: 'global',
      ok: false,
      text: 'organization/repo: Octocoders',
    },
    {
      name: 'a token for nothing configured',
      body: payload('Codertocat/Hello-World'),
      key: 'wrong',
      ok: false,
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const r = await verifyPayload(enc(tc.body), signBody(tc.key, tc.body), secrets);
      expect(r.ok).toBe(tc.ok);
      if (!r.ok) {
        expect(r.status).toBe(403);
        expect(r.reason).toBe('signature-mismatch');
        if (tc.text) expect(r.body).toContain(tc.text);
      }
    });
  }

  const one = singleTokenSecrets('abcde12345');
  const body = JSON.stringify(example('ping'));
  const malformed = [
    {
      name: 'not JSON',
      body: '{"action": ',
      sig: signBody('abcde12345', '{"action": '),
      reason: 'invalid-payload',
      text: 'invalid payload',
    },
    {
      name: 'a JSON array',
      body: '[]',
      sig: signBody('abcde12345', '[]'),
      reason: 'invalid-payload',
      text: 'invalid payload',
    },
    {
      name: 'a JSON string',
      body: '"x"',
      sig: signBody('abcde12345', '"x"'),
      reason: 'invalid-payload',
      text: 'invalid payload',
    },
    {
      name: 'repository of the wrong type',
      body: '{"repository": "o/r"}',
      sig: signBody('abcde12345', '{"repository": "o/r"}'),
      reason: 'invalid-payload',
      text: 'invalid payload',
    },
    {
      name: 'not UTF-8',
      body: '',
      sig: 'sha256=00',
      reason: 'invalid-payload',
      text: 'invalid payload',
      raw: Uint8Array.of(0x7b, 0xff, 0x7d),
    },
    {
      name: 'sha1 prefix',
      body,
      sig: signBody('abcde12345', body).replace('sha256=', 'sha1='),
      reason: 'invalid-signature',
      text: 'invalid signature',
    },
    {
      name: 'not hex',
      body,
      sig: 'sha256=zz',
      reason: 'invalid-signature',
      text: 'invalid signature',
    },
    {
      name: 'odd hex length',
      body,
      sig: 'sha256=abc',
      reason: 'invalid-signature',
      text: 'invalid signature',
    },
    {
      name: 'one byte changed after signing',
      body: body.replace('}', ' }'),
      sig: signBody('abcde12345', body),
      reason: 'signature-mismatch',
      text: 'misconfigured webhook secret',
    },
  ];
  for (const tc of malformed) {
    it(`rejects ${tc.name}`, async () => {
      const r = await verifyPayload(tc.raw ?? enc(tc.body), tc.sig, one);
      expect(r).toMatchObject({ ok: false, status: 403, reason: tc.reason });
      if (!r.ok)
        expect(r.body).toContain(`403 Forbidden: Invalid X-Hub-Signature-256 - ${tc.text}`);
    });
  }

  it('no level for the repo and no *', async () => {
    const r = await verifyPayload(
      enc(body),
      signBody('x', body),
      parseHmacSecrets('other: [{value: x}]', 't'),
    );
    expect(r).toMatchObject({ ok: false, status: 403, reason: 'no-secret' });
  });

  it('accepts upper-case hex like Go hex.DecodeString, and returns the exact text', async () => {
    const sig = signBody('abcde12345', body);
    const r = await verifyPayload(enc(body), `sha256=${sig.slice(7).toUpperCase()}`, one);
    expect(r).toMatchObject({ ok: true, text: body, payload: JSON.parse(body) });
  });

  it('accepts the JSON literal null (Go unmarshals it into an empty event)', async () => {
    const r = await verifyPayload(enc('null'), signBody('abcde12345', 'null'), one);
    expect(r).toMatchObject({ ok: true, payload: null, orgRepo: '' });
  });
});
