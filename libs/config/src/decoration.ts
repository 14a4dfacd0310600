// Decoration and ProwJob defaults (pkg/config/config.go `mergeDefaultDecorationConfig`,
// `mergeProwJobDefault`; pkg/apis/prowjobs/v1/types.go `ApplyDefault`, `Validate`).
// Default entries that match a job (by `repo` and `cluster`) are merged in order, later ones
// overriding, and the job's own config is merged over the result field by field.
import type { DefaultDecorationConfigEntry, ProwJobDefaultEntry } from './prow-config.js';
import type { DecorationConfig, GCSConfiguration, ProwJobDefault, UtilityImages } from './types.js';

export const DEFAULT_TENANT_ID = 'GlobalDefaultID';

type Obj = Record<string, unknown>;

/** Prow's entry filter: `cluster` exact (or empty/`*`); `repo` empty, `*`, `org/repo` or `org`. */
export function entryMatches(
  given: { repo?: string; cluster?: string },
  orgRepo: string,
  cluster: string,
): boolean {
  const gc = given.cluster ?? '';
  if (gc !== '' && gc !== '*' && gc !== cluster) return false;
  const gr = given.repo ?? '';
  if (gr === '' || gr === '*' || gr === orgRepo) return true;
  const bare = orgRepo.replace(/^https?:\/\//, '');
  return gr === bare || gr === bare.split('/')[0];
}

/** Field-wise merge where a field counts as unset when `undefined` (Go nil pointer). */
function fillUnset<T extends Obj>(merged: T, def: T): T {
  const out: Obj = { ...merged };
  for (const [k, v] of Object.entries(def)) if (out[k] === undefined) out[k] = v;
  return out as T;
}

function fillEmptyStrings<T extends Obj>(merged: T, def: T, keys: readonly string[]): T {
  const out: Obj = { ...merged };
  for (const k of keys) if (out[k] === undefined || out[k] === '') out[k] = def[k];
  return out as T;
}

const UTILITY_IMAGE_KEYS = ['clonerefs', 'initupload', 'entrypoint', 'sidecar'] as const;
const GCS_STRING_KEYS = [
  'bucket',
  'path_prefix',
  'path_strategy',
  'default_org',
  'default_repo',
  'job_url_prefix',
  'local_output_dir',
] as const;
const LIST_KEYS = [
  'ssh_key_secrets',
  'ssh_host_fingerprints',
  'github_api_endpoints',
  'sparse_checkout_files',
] as const;
const NESTED_NIL_KEYS = ['resources', 'censoring_options', 'scheduling_options'] as const;

function mergeUtilityImages(
  u: UtilityImages | undefined,
  def: UtilityImages | undefined,
): UtilityImages | undefined {
  if (u === undefined) return def;
  if (def === undefined) return u;
  return fillEmptyStrings(u, def, UTILITY_IMAGE_KEYS);
}

function mergeGCS(
  g: GCSConfiguration | undefined,
  def: GCSConfiguration | undefined,
): GCSConfiguration | undefined {
  if (g === undefined) return def;
  if (def === undefined) return g;
  const merged = fillEmptyStrings(g, def, GCS_STRING_KEYS);
  if (def.mediaTypes && Object.keys(def.mediaTypes).length > 0) {
    // Go: maps.Copy(merged.MediaTypes, def.MediaTypes), so the default's entries win.
    merged.mediaTypes = { ...(g.mediaTypes ?? {}), ...def.mediaTypes };
  }
  merged.compress_file_types ??= def.compress_file_types;
  return merged;
}

/** DecorationConfig.ApplyDefault: `dc` over `def`. */
export function applyDecorationDefault(
  dc: DecorationConfig | undefined,
  def: DecorationConfig | undefined,
): DecorationConfig | undefined {
  if (dc === undefined) return def === undefined ? undefined : { ...def };
  if (def === undefined) return { ...dc };
  const merged: Obj = { ...dc };
  merged.utility_images = mergeUtilityImages(dc.utility_images, def.utility_images);
  merged.gcs_configuration = mergeGCS(dc.gcs_configuration, def.gcs_configuration);
  for (const k of NESTED_NIL_KEYS) {
    const a = dc[k];
    const b = def[k];
    merged[k] = a === undefined ? b : b === undefined ? a : fillUnset(a, b);
  }
  for (const k of LIST_KEYS) if (!dc[k]?.length) merged[k] = def[k];
  if (!dc.github_app_id) merged.github_app_id = def.github_app_id;
  for (const [k, v] of Object.entries(def)) if (merged[k] === undefined) merged[k] = v;
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  return merged as DecorationConfig;
}

/** Plank.mergeDefaultDecorationConfig: never undefined (an empty config when nothing applies). */
export function mergeDefaultDecorationConfig(
  entries: readonly DefaultDecorationConfigEntry[],
  orgRepo: string,
  cluster: string,
  jobDC: DecorationConfig | undefined,
): DecorationConfig {
  let merged: DecorationConfig | undefined;
  for (const e of entries) {
    if (entryMatches(e, orgRepo, cluster)) merged = applyDecorationDefault(e.config, merged);
  }
  return applyDecorationDefault(jobDC, merged) ?? {};
}

/** ProwConfig.mergeProwJobDefault; `tenant_id` defaults to `GlobalDefaultID`. */
export function mergeProwJobDefault(
  entries: readonly ProwJobDefaultEntry[],
  orgRepo: string,
  cluster: string,
  jobDefault: ProwJobDefault | undefined,
): ProwJobDefault {
  const apply = (d: ProwJobDefault | undefined, def: ProwJobDefault | undefined) => {
    if (d === undefined) return def === undefined ? undefined : { ...def };
    if (def === undefined) return { ...d };
    const m = { ...d };
    if (m.resultstore_config === undefined) m.resultstore_config = def.resultstore_config;
    if (!m.tenant_id) m.tenant_id = def.tenant_id;
    return m;
  };
  let merged: ProwJobDefault | undefined;
  for (const e of entries) if (entryMatches(e, orgRepo, cluster)) merged = apply(e.config, merged);
  const out = apply(jobDefault, merged) ?? {};
  if (!out.tenant_id) out.tenant_id = DEFAULT_TENANT_ID;
  if (out.resultstore_config === undefined) delete out.resultstore_config;
  return out;
}

/** DecorationConfig.Validate: what a decorated job's merged config must provide. */
export function validateDecorationConfig(dc: DecorationConfig): string | undefined {
  const ui = dc.utility_images;
  if (ui === undefined) return 'utility image config is not specified';
  const missing = UTILITY_IMAGE_KEYS.filter((k) => !ui[k]);
  if (missing.length > 0) {
    const list = missing.map((m) => JSON.stringify(m)).join(' ');
    return `the following utility images are not specified: [${list}]`;
  }
  const gcs = dc.gcs_configuration;
  if (gcs === undefined) return 'GCS upload configuration is not specified';
  const invalid = 'GCS configuration is invalid: ';
  const bucketError = validateBucket(gcs.bucket ?? '');
  if (bucketError) return invalid + bucketError;
  for (const mt of Object.values(gcs.mediaTypes ?? {})) {
    // mime.ParseMediaType: `type[/subtype][; params]`.
    if (!/^[^\s/;]+(\/[^\s/;]+)?\s*(;.*)?$/.test(mt)) {
      return `${invalid}invalid extension media type ${JSON.stringify(mt)}`;
    }
  }
  const strategy = gcs.path_strategy ?? '';
  if (!['legacy', 'explicit', 'single'].includes(strategy)) {
    return `${invalid}gcs_path_strategy must be one of "legacy", "explicit", or "single"`;
  }
  if (strategy !== 'explicit' && (!gcs.default_org || !gcs.default_repo)) {
    const s = JSON.stringify(strategy);
    return `${invalid}default org and repo must be provided for GCS strategy ${s}`;
  }
  if (dc.oauth_token_secret !== undefined && (dc.ssh_key_secrets?.length ?? 0) > 0) {
    return 'both OAuth token and SSH key secrets are specified';
  }
  return undefined;
}

/** prowapi.ParsePath: Go's url.Parse of `bucket` (or `gs://bucket`) is lenient; so are we. */
function validateBucket(bucket: string): string | undefined {
  const withScheme = bucket.includes('://') ? bucket : `gs://${bucket}`;
  const host = withScheme.slice(withScheme.indexOf('://') + 3).split('/')[0] ?? '';
  const bad =
    /[\x00-\x1f\x7f]/.test(withScheme) || /%(?![0-9a-fA-F]{2})/.test(withScheme) || /\s/.test(host);
  if (bad) {
    const expected = '<bucket-name>[/<path>] or <storage-provider>://<bucket-name>[/<path>]';
    return `path ${JSON.stringify(withScheme)} has invalid format, expected either ${expected}`;
  }
  return undefined;
}
