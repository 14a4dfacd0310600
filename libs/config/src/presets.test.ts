import { describe, expect, it } from 'vitest';
import { mergePreset, resolvePresets } from './presets.js';
import type { PodSpec, Preset } from './types.js';

const podSpec = (env: { name: string; value: string }[] = [], containers = 1): PodSpec => ({
  containers: Array.from({ length: containers }, (_, i) => ({
    name: `c${i}`,
    image: 'alpine',
    env: [...env],
  })),
});

// Prow's mergePreset / resolvePresets (pkg/config/jobs.go, config.go) and TestMergePreset.
describe('mergePreset', () => {
  const cases: {
    name: string;
    preset: Preset;
    labels?: Record<string, string>;
    spec: PodSpec;
    expectEnv?: string[][];
    expectVolumes?: string[];
    expectMounts?: string[][];
    error?: string;
  }[] = [
    {
      name: 'preset without labels applies to every job',
      preset: { env: [{ name: 'A', value: '1' }] },
      spec: podSpec(),
      expectEnv: [['A']],
    },
    {
      name: 'all preset labels must match',
      preset: {
        labels: { 'preset-a': 'true', 'preset-b': 'true' },
        env: [{ name: 'A', value: '1' }],
      },
      labels: { 'preset-a': 'true' },
      spec: podSpec(),
      expectEnv: [[]],
    },
    {
      name: 'label value must match exactly',
      preset: { labels: { 'preset-a': 'true' }, env: [{ name: 'A', value: '1' }] },
      labels: { 'preset-a': 'false' },
      spec: podSpec(),
      expectEnv: [[]],
    },
    {
      name: 'matching preset appends env to every container, after the job env',
      preset: { labels: { 'preset-a': 'true' }, env: [{ name: 'A', value: '1' }] },
      labels: { 'preset-a': 'true', other: 'x' },
      spec: podSpec([{ name: 'JOB', value: 'x' }], 2),
      expectEnv: [
        ['JOB', 'A'],
        ['JOB', 'A'],
      ],
    },
    {
      name: 'volumes go to the pod, volumeMounts to every container',
      preset: { volumes: [{ name: 'v' }], volumeMounts: [{ name: 'v', mountPath: '/v' }] },
      spec: podSpec([], 2),
      expectVolumes: ['v'],
      expectMounts: [['v'], ['v']],
    },
    {
      name: 'env already in the job is an error',
      preset: { env: [{ name: 'A', value: 'preset' }] },
      spec: podSpec([{ name: 'A', value: 'job' }]),
      error: 'env var duplicated in pod spec: A',
    },
    {
      name: 'volume already in the job is an error',
      preset: { volumes: [{ name: 'v' }] },
      spec: { ...podSpec(), volumes: [{ name: 'v' }] },
      error: 'volume duplicated in pod spec: v',
    },
    {
      name: 'volumeMount already in the job is an error',
      preset: { volumeMounts: [{ name: 'm', mountPath: '/m' }] },
      spec: { containers: [{ image: 'alpine', volumeMounts: [{ name: 'm', mountPath: '/x' }] }] },
      error: 'volume mount duplicated in pod spec: m',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const before = JSON.stringify(tc.spec);
      const r = mergePreset(tc.preset, tc.labels, tc.spec);
      expect(JSON.stringify(tc.spec)).toBe(before); // inputs are never mutated
      if (tc.error) {
        expect(r).toEqual({ error: tc.error });
        return;
      }
      if ('error' in r) throw new Error(r.error);
      if (tc.expectEnv)
        expect(r.spec.containers.map((c) => (c.env ?? []).map((e) => e.name))).toEqual(
          tc.expectEnv,
        );
      if (tc.expectVolumes)
        expect((r.spec.volumes ?? []).map((v) => v.name)).toEqual(tc.expectVolumes);
      if (tc.expectMounts)
        expect(r.spec.containers.map((c) => (c.volumeMounts ?? []).map((m) => m.name))).toEqual(
          tc.expectMounts,
        );
    });
  }

  it('resolvePresets applies presets in order and two presets setting the same env conflict', () => {
    const presets: Preset[] = [
      { env: [{ name: 'A', value: '1' }] },
      { labels: { p: 'x' }, env: [{ name: 'A', value: '2' }] },
    ];
    expect(resolvePresets({}, podSpec(), presets)).toMatchObject({
      spec: { containers: [{ env: [{ name: 'A', value: '1' }] }] },
    });
    expect(resolvePresets({ p: 'x' }, podSpec(), presets)).toEqual({
      error: 'failed to merge presets for podspec: env var duplicated in pod spec: A',
    });
  });

  it('resolvePresets leaves jobs without a spec alone', () => {
    expect(resolvePresets({}, undefined, [{ env: [{ name: 'A', value: '1' }] }])).toEqual({
      spec: undefined,
    });
  });
});
