// Presets (pkg/config/jobs.go `mergePreset`, config.go `resolvePresets`): a preset applies to a
// job when every one of its labels is on the job with the same value (a preset without labels
// applies to every job). Its env and volumeMounts are appended to every container and its volumes
// and tolerations to the pod; a name already present is an error, as in Prow.
// These functions never mutate their inputs: they return a new PodSpec (copy on write).
import { isDeepStrictEqual } from 'node:util';
import type { Container, PodSpec, Preset } from './types.js';

type Labels = Readonly<Record<string, string>> | undefined;

export function presetMatches(preset: Preset, labels: Labels): boolean {
  for (const [k, v] of Object.entries(preset.labels ?? {})) {
    if (labels?.[k] !== v) return false;
  }
  return true;
}

/** Prow's mergePreset. Returns the merged spec, or the first conflict as Prow reports it. */
export function mergePreset(
  preset: Preset,
  labels: Labels,
  spec: PodSpec,
): { spec: PodSpec } | { error: string } {
  if (!presetMatches(preset, labels)) return { spec };
  const env = preset.env ?? [];
  const volumes = preset.volumes ?? [];
  const mounts = preset.volumeMounts ?? [];
  const tolerations = preset.tolerations ?? [];
  if (env.length + volumes.length + mounts.length + tolerations.length === 0) return { spec };

  const containers: Container[] = spec.containers.map((c) => ({ ...c }));
  for (const e1 of env) {
    for (const c of containers) {
      if ((c.env ?? []).some((e2) => e2.name === e1.name)) {
        return { error: `env var duplicated in pod spec: ${e1.name}` };
      }
      c.env = [...(c.env ?? []), e1];
    }
  }
  let podVolumes = spec.volumes;
  for (const v1 of volumes) {
    if ((podVolumes ?? []).some((v2) => v2.name === v1.name)) {
      return { error: `volume duplicated in pod spec: ${v1.name}` };
    }
    podVolumes = [...(podVolumes ?? []), v1];
  }
  for (const m1 of mounts) {
    for (const c of containers) {
      if ((c.volumeMounts ?? []).some((m2) => m2.name === m1.name)) {
        return { error: `volume mount duplicated in pod spec: ${m1.name}` };
      }
      c.volumeMounts = [...(c.volumeMounts ?? []), m1];
    }
  }
  let podTolerations = spec.tolerations;
  for (const t1 of tolerations) {
    if ((podTolerations ?? []).some((t2) => isDeepStrictEqual(t1, t2))) {
      return { error: `toleration duplicated in pod spec: ${JSON.stringify(t1)}` };
    }
    podTolerations = [...(podTolerations ?? []), t1];
  }
  const out: PodSpec = { ...spec, containers };
  if (podVolumes !== undefined) out.volumes = podVolumes;
  if (podTolerations !== undefined) out.tolerations = podTolerations;
  return { spec: out };
}

/** Prow's resolvePresets: applies every preset in order; stops at the first conflict. */
export function resolvePresets(
  labels: Labels,
  spec: PodSpec | undefined,
  presets: readonly Preset[],
): { spec: PodSpec | undefined } | { error: string } {
  if (spec === undefined) return { spec };
  let current = spec;
  for (const preset of presets) {
    const r = mergePreset(preset, labels, current);
    if ('error' in r) return { error: `failed to merge presets for podspec: ${r.error}` };
    current = r.spec;
  }
  return { spec: current };
}

/** mergeJobConfigs' check: no `label: value` pair may appear in two presets. */
export function duplicatePresetPairs(
  presets: readonly Preset[],
): { index: number; pair: string }[] {
  const seen = new Set<string>();
  const dupes: { index: number; pair: string }[] = [];
  presets.forEach((preset, index) => {
    for (const [k, v] of Object.entries(preset.labels ?? {})) {
      const pair = `${k}:${v}`;
      if (seen.has(pair)) dupes.push({ index, pair });
      seen.add(pair);
    }
  });
  return dupes;
}
