// Decodes one job config document (a job file, or the job part of config.yaml) into raw jobs:
// type-checked and coerced, each stamped with the file it came from, nothing defaulted yet.
// Unknown top-level keys (and `prow_ignored:`) are ignored, as in Prow's non-strict load.
import { ConfigError } from './errors.js';
import { makeDecoder, type Decoder, type FieldProblem } from './schema-decode.js';
import { Preset, RawPeriodic, RawPostsubmit, RawPresubmit } from './types.js';
import { locate } from './yaml-file.js';

type Sourced<T> = T & { source_path: string };
export type SourcedPresubmit = Sourced<RawPresubmit>;
export type SourcedPostsubmit = Sourced<RawPostsubmit>;
export type SourcedPeriodic = Sourced<RawPeriodic>;
export interface SourcedPreset {
  preset: Preset;
  file: string;
}

export interface RawJobConfig {
  presubmits: Record<string, SourcedPresubmit[]>;
  postsubmits: Record<string, SourcedPostsubmit[]>;
  periodics: SourcedPeriodic[];
  presets: SourcedPreset[];
  decorate_all_jobs?: boolean;
}

export interface DecodedDoc {
  config: RawJobConfig;
  errors: ConfigError[];
}

const presubmitDecoder = makeDecoder(RawPresubmit);
const postsubmitDecoder = makeDecoder(RawPostsubmit);
const periodicDecoder = makeDecoder(RawPeriodic);
const presetDecoder = makeDecoder(Preset);

export function emptyRawJobConfig(): RawJobConfig {
  return { presubmits: {}, postsubmits: {}, periodics: [], presets: [] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function problemErrors(
  file: string,
  base: (string | number)[],
  job: string | undefined,
  problems: FieldProblem[],
): ConfigError[] {
  const errors = problems.map((p) => {
    const pos = locate(file, [...base, ...p.path]);
    return new ConfigError({
      file,
      job,
      field: p.field === '' ? undefined : p.field,
      message: p.message,
      line: pos?.line,
      column: pos?.column,
    });
  });
  // In file order, whatever order the schema checks fields in.
  const byPosition = (a: ConfigError, b: ConfigError) =>
    (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  return errors.sort(byPosition);
}

function jobName(v: unknown): string | undefined {
  return isObject(v) && typeof v.name === 'string' ? v.name : undefined;
}

export function decodeJobDoc(doc: unknown, file: string): DecodedDoc {
  const config = emptyRawJobConfig();
  const errors: ConfigError[] = [];
  if (doc === null || doc === undefined) return { config, errors };
  if (!isObject(doc)) {
    errors.push(new ConfigError({ file, message: 'job config must be a YAML mapping' }));
    return { config, errors };
  }
  const fail = (field: string, message: string, path: (string | number)[]) => {
    const pos = locate(file, path);
    errors.push(new ConfigError({ file, field, message, line: pos?.line, column: pos?.column }));
  };
  /** Decodes each mapping in `list` (a YAML sequence at `path`), reporting what does not fit. */
  const eachItem = <T>(
    list: unknown,
    path: string[],
    what: string,
    decoder: Decoder<T>,
    add: (value: T, i: number) => void,
  ) => {
    const field = path.join('.');
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) return fail(field, `must be a list of ${what}s`, path);
    list.forEach((item: unknown, i) => {
      const where = [...path, i];
      if (!isObject(item)) return fail(`${field}[${i}]`, `${what} must be a mapping`, where);
      const r = decoder.decode(item);
      if (r.ok) return add(r.value, i);
      // Jobs are named in the error; other items get their index in the field path.
      const job = what === 'job' ? jobName(item) : undefined;
      const problems =
        what === 'job'
          ? r.problems
          : r.problems.map((p) => ({
              ...p,
              field: `${field}[${i}]${p.field ? `.${p.field}` : ''}`,
            }));
      errors.push(...problemErrors(file, where, job, problems));
    });
  };

  for (const kind of ['presubmits', 'postsubmits'] as const) {
    const section = doc[kind];
    if (section === undefined || section === null) continue;
    if (!isObject(section)) {
      fail(kind, 'must be a mapping of "org/repo" to a list of jobs', [kind]);
      continue;
    }
    const byRepo = config[kind] as Record<string, unknown[]>;
    const decoder: Decoder<unknown> = kind === 'presubmits' ? presubmitDecoder : postsubmitDecoder;
    for (const [repo, list] of Object.entries(section)) {
      eachItem(list, [kind, repo], 'job', decoder, (job) => {
        const sourced = Object.assign(job as object, { source_path: file });
        (byRepo[repo] ??= []).push(sourced);
      });
    }
  }
  eachItem(doc.periodics, ['periodics'], 'job', periodicDecoder, (job) => {
    config.periodics.push(Object.assign(job, { source_path: file }));
  });
  eachItem(doc.presets, ['presets'], 'preset', presetDecoder, (preset) => {
    config.presets.push({ preset, file });
  });

  const dal = doc.decorate_all_jobs;
  if (typeof dal === 'boolean') config.decorate_all_jobs = dal;
  else if (dal !== undefined && dal !== null) {
    fail('decorate_all_jobs', 'must be boolean', ['decorate_all_jobs']);
  }
  return { config, errors };
}

/** Appends `b` to `a` (Prow's mergeJobConfigs, minus the preset check done at defaulting). */
export function mergeRawJobConfig(a: RawJobConfig, b: RawJobConfig): void {
  for (const [repo, jobs] of Object.entries(b.presubmits)) {
    const t = a.presubmits[repo];
    if (t) t.push(...jobs);
    else a.presubmits[repo] = [...jobs];
  }
  for (const [repo, jobs] of Object.entries(b.postsubmits)) {
    const t = a.postsubmits[repo];
    if (t) t.push(...jobs);
    else a.postsubmits[repo] = [...jobs];
  }
  a.periodics.push(...b.periodics);
  a.presets.push(...b.presets);
}
