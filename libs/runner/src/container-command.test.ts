import { describe, expect, it } from 'vitest';
import { newProwJob, periodicSpec } from '@jetprow/core';
import type { Container, ProwJob } from '@jetprow/schemas';
import { containerCommand, expandVars, isValidBuildName } from './container-command.js';
import { BuildStartError } from './job-runner.js';

function job(containers: Container[] | undefined, name = 'pj-1'): ProwJob {
  const podSpec = containers ? { spec: { containers } } : {};
  const spec = periodicSpec({ name: 'ci-periodic', ...podSpec });
  return newProwJob(spec, { name, now: new Date('2026-01-01T00:00:00Z') });
}

describe('expandVars (Kubernetes $(VAR) expansion)', () => {
  const vars = { A: 'alpha', EMPTY: '' };
  const cases = [
    { name: 'defined reference is replaced', in: 'x-$(A)-y', out: 'x-alpha-y' },
    { name: 'undefined reference is kept as written', in: '$(NOPE)', out: '$(NOPE)' },
    { name: 'empty value replaces', in: '[$(EMPTY)]', out: '[]' },
    { name: '$$ escapes a reference', in: '$$(A)', out: '$(A)' },
    { name: 'shell variables are untouched', in: 'echo $A ${A}', out: 'echo $A ${A}' },
    { name: 'unclosed reference is kept', in: '$(A', out: '$(A' },
  ];
  for (const tc of cases) it(tc.name, () => expect(expandVars(tc.in, vars)).toBe(tc.out));
});

describe('containerCommand', () => {
  const prowEnv = { JOB_NAME: 'ci-periodic', BUILD_ID: '42' };
  const ok = [
    {
      name: 'command and args are joined',
      containers: [{ command: ['sh', '-c'], args: ['echo hi'] }],
      argv: ['sh', '-c', 'echo hi'],
      env: prowEnv,
    },
    {
      name: 'container env first, Prow env wins on a clash',
      containers: [
        {
          command: ['true'],
          env: [
            { name: 'FOO', value: 'x' },
            { name: 'BUILD_ID', value: 'mine' },
          ],
        },
      ],
      argv: ['true'],
      env: { FOO: 'x', BUILD_ID: '42', JOB_NAME: 'ci-periodic' },
    },
    {
      name: 'args may refer to env, env to earlier env',
      containers: [
        {
          command: ['echo', '$(GREETING)', '$(BUILD_ID)'],
          env: [
            { name: 'WHO', value: 'prow' },
            { name: 'GREETING', value: 'hi-$(WHO)' },
          ],
        },
      ],
      argv: ['echo', 'hi-prow', '42'],
      env: { WHO: 'prow', GREETING: 'hi-prow', ...prowEnv },
    },
    {
      name: 'only the first container runs',
      containers: [{ command: ['first'] }, { command: ['second'] }],
      argv: ['first'],
      env: prowEnv,
    },
  ];
  for (const tc of ok) {
    it(tc.name, () => {
      const cmd = containerCommand(job(tc.containers), prowEnv);
      expect(cmd.argv).toEqual(tc.argv);
      expect(cmd.env).toEqual(tc.env);
    });
  }

  it('keeps workingDir', () => {
    const cmd = containerCommand(job([{ command: ['pwd'], workingDir: '/tmp' }]), {});
    expect(cmd.workingDir).toBe('/tmp');
  });

  const bad = [
    { name: 'no pod_spec: no command to run', pj: job(undefined) },
    { name: 'no containers: no command to run', pj: job([]) },
    { name: 'args without command: no command to run', pj: job([{ args: ['x'] }]) },
    { name: 'name that is not a path segment', pj: job([{ command: ['true'] }], '../escape') },
  ];
  for (const tc of bad) {
    it(tc.name, () => expect(() => containerCommand(tc.pj, {})).toThrow(BuildStartError));
  }
});

describe('isValidBuildName', () => {
  const cases = [
    { name: 'uuid', value: '0b1c2d3e-4f50-5a6b-8c7d-9e0f1a2b3c4d', ok: true },
    { name: 'dns subdomain', value: 'pull-unit.abc', ok: true },
    { name: 'empty', value: '', ok: false },
    { name: 'dot-dot', value: '..', ok: false },
    { name: 'slash', value: 'a/b', ok: false },
  ];
  for (const tc of cases) it(tc.name, () => expect(isValidBuildName(tc.value)).toBe(tc.ok));
});
