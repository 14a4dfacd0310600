import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { newProwJob, presubmitSpec } from '@jetprow/core';
import type { ProwJob, ProwJobStatus } from '@jetprow/schemas';
import { escapeHtml } from './job-page.js';
import { logPageRoutes } from './log-page.js';

function job(name: string, status: Partial<ProwJobStatus>): ProwJob {
  const spec = presubmitSpec(
    { name: 'pull-<script>', spec: { containers: [{ command: ['true'] }] } },
    {
      org: 'o',
      repo: 'r',
      base_ref: 'main',
      base_sha: 'base1',
      pulls: [{ number: 7, author: 'a', sha: 'head1' }],
    },
  );
  const pj = newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z') });
  pj.status = { ...pj.status, ...status };
  return pj;
}

const jobs = new Map<string, ProwJob>([
  ['running', job('running', { state: 'pending', description: 'Job triggered.', build_id: '42' })],
  ['done', job('done', { state: 'success', completionTime: '2026-01-01T00:01:00Z' })],
  ['no-build', job('no-build', { state: 'triggered' })],
]);
const logs = new Map<string, string>([
  ['running', 'step 1\n<b>not bold</b> & more\n'],
  ['done', 'ok\n'],
  ['orphan-build', 'left behind\n'],
]);

function app(): Hono {
  const a = new Hono();
  logPageRoutes({
    store: { get: async (n) => jobs.get(n) },
    runner: { readLog: async (n) => logs.get(n) },
  })(a);
  return a;
}

describe('GET /view/:name', () => {
  const cases = [
    {
      name: 'running job: fields, escaped log, refreshes itself',
      path: '/view/running',
      status: 200,
      has: [
        'pull-&lt;script&gt;',
        'pending',
        'Job triggered.',
        'o/r main:base1,7:head1',
        '42',
        '&lt;b&gt;not bold&lt;/b&gt; &amp; more',
        'http-equiv="refresh" content="3"',
        'href="../logs/running"',
      ],
      hasNot: ['<script>', '<b>not bold</b>'],
    },
    {
      name: 'complete job: no refresh',
      path: '/view/done',
      status: 200,
      has: ['success', 'ok'],
      hasNot: ['refresh'],
    },
    {
      name: 'job without a build yet',
      path: '/view/no-build',
      status: 200,
      has: ['(no log yet)', 'refresh'],
      hasNot: [],
    },
    {
      name: 'job gone, log kept',
      path: '/view/orphan-build',
      status: 200,
      has: ['ProwJob not found', 'left behind'],
      hasNot: ['refresh'],
    },
    { name: 'unknown name → 404', path: '/view/nope', status: 404, has: [], hasNot: [] },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const res = await app().request(tc.path);
      expect(res.status).toBe(tc.status);
      const body = await res.text();
      if (tc.status === 200) expect(res.headers.get('content-type')).toContain('text/html');
      for (const s of tc.has) expect(body).toContain(s);
      for (const s of tc.hasNot) expect(body).not.toContain(s);
    });
  }
});

describe('GET /logs/:name', () => {
  const cases = [
    {
      name: 'raw log as text/plain',
      path: '/logs/running',
      status: 200,
      body: 'step 1\n<b>not bold</b> & more\n',
    },
    { name: 'known job without a build: empty', path: '/logs/no-build', status: 200, body: '' },
    { name: 'unknown name → 404', path: '/logs/nope', status: 404, body: 'no job nope\n' },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const res = await app().request(tc.path);
      expect(res.status).toBe(tc.status);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toBe(tc.body);
    });
  }
});

describe('escapeHtml', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});
