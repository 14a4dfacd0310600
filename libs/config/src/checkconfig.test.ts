import { afterEach, describe, expect, it } from 'vitest';
import { checkConfig } from './checkconfig.js';
import { tempTree, type TempTree } from '../testing/test-support.js';

let tree: TempTree | undefined;
afterEach(() => tree?.remove());

describe('checkConfig', () => {
  it('summarises a valid config', () => {
    tree = tempTree({
      'jobs/a.yaml': `presubmits:
  o/r:
  - name: a
    spec: {containers: [{image: x}]}
  - name: b
    spec: {containers: [{image: x}]}
postsubmits:
  o/r:
  - name: c
    spec: {containers: [{image: x}]}
periodics:
- name: d
  cron: '@daily'
  spec: {containers: [{image: x}]}
`,
    });
    const r = checkConfig({ jobConfigPath: tree.path('jobs') });
    expect(r).toMatchObject({
      ok: true,
      summary: '2 presubmits, 1 postsubmits, 1 periodics',
      errors: [],
      deprecations: [],
    });
    // Prow's default warnings run: these jobs do not use the pod utilities.
    expect(r.findings.map((f) => [f.warning, f.error.job])).toEqual([
      ['non-decorated-jobs', 'a'],
      ['non-decorated-jobs', 'b'],
      ['non-decorated-jobs', 'c'],
      ['non-decorated-jobs', 'd'],
    ]);
    expect(r.warnings[0]).toBe(
      `${tree.path('jobs/a.yaml')}: job "a": field decorate: the job uses the kubernetes provider but does not use the pod utilities [non-decorated-jobs]`,
    );
    expect(checkConfig({ jobConfigPath: tree.path('jobs') }, { strict: true }).ok).toBe(false);
    expect(
      checkConfig(
        { jobConfigPath: tree.path('jobs') },
        { excludeWarnings: ['non-decorated-jobs'], strict: true },
      ),
    ).toMatchObject({ ok: true, warnings: [] });
  });

  it('refuses a --warnings name Prow does not know, with Prow’s text', () => {
    expect(() => checkConfig({}, { warnings: ['no-such-warning'] })).toThrow(
      /^no such warning "no-such-warning", valid warnings: \[/,
    );
  });

  it('lists every error as a string naming the file', () => {
    tree = tempTree({
      'jobs/a.yaml': `periodics:\n- name: d\n  spec: {containers: [{image: x}]}\n- name: d\n  interval: 1h\n  spec: {containers: []}\n`,
    });
    const r = checkConfig({ jobConfigPath: tree.path('jobs') });
    expect(r.ok).toBe(false);
    expect(r.summary).toBeUndefined();
    expect(r.errors).toEqual([
      `${tree.path('jobs/a.yaml')}: job "d": field cron: at least one of cron, interval, or minimum_interval must be set in periodic d`,
      `${tree.path('jobs/a.yaml')}: job "d": field name: duplicated periodic job: d (also defined in ${tree.path('jobs/a.yaml')})`,
      `${tree.path('jobs/a.yaml')}: job "d": field spec.containers: pod spec must specify at least 1 container, found: 0`,
    ]);
  });
});
