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
    expect(checkConfig({ jobConfigPath: tree.path('jobs') })).toEqual({
      ok: true,
      summary: '2 presubmits, 1 postsubmits, 1 periodics',
      errors: [],
      warnings: [],
    });
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
