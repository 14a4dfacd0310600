// config.yaml `deck:` (Prow's Deck, pkg/config/config.go), defaulted and checked as
// parseProwConfig, FinalizeDefaultRerunAuthConfigs and Deck.Validate do: spyglass size_limit,
// lenses (the old `viewers` form migrated) and their file regexes, gcs_browser_prefix(es),
// external_agent_logs templates and selectors, rerun auth configs (old map form or new entries,
// never both), and the storage bucket allow-list.
import Type from 'typebox';
import { labelSelectorError } from './label-selector.js';
import { regexpError } from './matchers.js';
import { makeDecoder } from './schema-decode.js';
import { durationAt, templateError, type Path, type Report } from './section-util.js';
import { RerunAuthConfig } from './types.js';

const Open = { additionalProperties: true } as const;
const OptStr = Type.Optional(Type.String());
const OptStrList = Type.Optional(Type.Array(Type.String()));
const StrMap = Type.Record(Type.String(), Type.String());

const LensFileConfig = Type.Object(
  {
    required_files: OptStrList,
    optional_files: OptStrList,
    lens: Type.Optional(Type.Object({ name: OptStr }, Open)),
  },
  Open,
);

const RawDeck = Type.Object(
  {
    spyglass: Type.Optional(
      Type.Object(
        {
          lenses: Type.Optional(Type.Array(LensFileConfig)),
          viewers: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
          size_limit: Type.Optional(Type.Integer()),
          gcs_browser_prefix: OptStr,
          gcs_browser_prefixes: Type.Optional(StrMap),
          gcs_browser_prefixes_by_bucket: Type.Optional(StrMap),
          bucket_aliases: Type.Optional(StrMap),
        },
        Open,
      ),
    ),
    tide_update_period: OptStr,
    external_agent_logs: Type.Optional(
      Type.Array(Type.Object({ agent: OptStr, selector: OptStr, url_template: OptStr }, Open)),
    ),
    rerun_auth_configs: Type.Optional(Type.Record(Type.String(), RerunAuthConfig)),
    default_rerun_auth_configs: Type.Optional(
      Type.Array(
        Type.Object(
          { repo: OptStr, cluster: OptStr, rerun_auth_configs: Type.Optional(RerunAuthConfig) },
          Open,
        ),
      ),
    ),
    skip_storage_path_validation: Type.Optional(Type.Boolean()),
    additional_allowed_buckets: OptStrList,
  },
  Open,
);
export const decodeDeck = makeDecoder(RawDeck);
export type RawDeck = Type.Static<typeof RawDeck>;
type RawLens = Type.Static<typeof LensFileConfig>;

export interface DefaultRerunAuthConfigEntry {
  repo?: string;
  cluster?: string;
  rerun_auth_configs?: RerunAuthConfig;
  [key: string]: unknown;
}

export interface SpyglassConfig {
  /** The configured lenses, then one per old `viewers` entry (sorted by lens name). */
  lenses: RawLens[];
  /** Bytes; default 100e6. */
  size_limit: number;
  /** `org/repo` | `org` | `*` → prefix; `*` defaults to gcs_browser_prefix. */
  gcs_browser_prefixes: Record<string, string>;
  /** bucket | `*` → prefix; `*` defaults to gcs_browser_prefix. */
  gcs_browser_prefixes_by_bucket: Record<string, string>;
  bucket_aliases: Record<string, string>;
  [key: string]: unknown;
}

/** `deck:` after loading: Prow's defaults applied. Other keys are kept as written. */
export interface DeckConfig {
  spyglass: SpyglassConfig;
  /** Default `10s`. */
  tide_update_period: string;
  tide_update_period_ms: number;
  /** The new form; the old `rerun_auth_configs` map is converted (`''`, `*`, orgs, repos). */
  default_rerun_auth_configs: DefaultRerunAuthConfigEntry[];
  /**
   * Buckets Deck may read (the allow-list when skip_storage_path_validation is false):
   * additional_allowed_buckets plus every bucket of the decoration defaults and of every job.
   * Filled in once the jobs are loaded.
   */
  all_known_storage_buckets: string[];
  [key: string]: unknown;
}

const OLD_VIEWERS: Record<string, string> = {
  'build-log-viewer': 'buildlog',
  'metadata-viewer': 'metadata',
  'junit-viewer': 'junit',
};

/** defaultRerunAuthMapToSlice: `''` first, then `*`, then orgs, then repos. */
function rerunAuthEntries(m: Record<string, RerunAuthConfig>): DefaultRerunAuthConfigEntry[] {
  const keys = Object.keys(m);
  const ordered = [
    ...keys.filter((k) => k === ''),
    ...keys.filter((k) => k === '*'),
    ...keys.filter((k) => k !== '' && k !== '*' && !k.includes('/')),
    ...keys.filter((k) => k.includes('/')),
  ];
  return ordered.map((repo) => ({ repo, cluster: '', rerun_auth_configs: m[repo] }));
}

/** RerunAuthConfig.Validate. */
export function rerunAuthConfigError(rac: RerunAuthConfig | undefined): string | undefined {
  if (!rac?.allow_anyone) return undefined;
  const lists = [rac.github_users, rac.github_team_ids, rac.github_team_slugs, rac.github_orgs];
  if (!lists.some((l) => (l?.length ?? 0) > 0)) return undefined;
  return 'allow anyone is set to true and permitted users or groups are specified';
}

/** Defaults and checks `deck:` (already decoded). */
export function deckConfig(d: RawDeck, report: Report): DeckConfig {
  const at = (...p: Path): Path => ['deck', ...p];
  const q = JSON.stringify;

  (d.external_agent_logs ?? []).forEach((eal, i) => {
    const agent = eal.agent ?? '';
    const e = templateError(eal.url_template ?? '', agent);
    if (e)
      report(
        at('external_agent_logs', i, 'url_template'),
        `parsing template for agent ${q(agent)}: ${e}`,
      );
    const selector = eal.selector ?? '';
    const se = labelSelectorError(selector);
    if (se)
      report(
        at('external_agent_logs', i, 'selector'),
        `error parsing selector ${q(selector)}: ${se}`,
      );
  });

  const tideUpdate = durationAt(report, at('tide_update_period'), d.tide_update_period, '10s');

  const s = d.spyglass ?? {};
  let sizeLimit = s.size_limit ?? 0;
  if (sizeLimit === 0) sizeLimit = 100e6;
  else if (sizeLimit < 0) {
    report(at('spyglass', 'size_limit'), 'invalid value for deck.spyglass.size_limit, must be >=0');
  }

  const oldLenses: RawLens[] = [];
  for (const [regex, viewers] of Object.entries(s.viewers ?? {})) {
    for (const name of viewers) {
      oldLenses.push({ required_files: [regex], lens: { name: OLD_VIEWERS[name] ?? name } });
    }
  }
  const byName = (a: RawLens, b: RawLens) => {
    const x = a.lens?.name ?? '';
    const y = b.lens?.name ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const lenses = [...(s.lenses ?? []), ...oldLenses.sort(byName)];
  const compiled = new Set<string>();
  lenses.forEach((lens, i) => {
    for (const re of [...(lens.optional_files ?? []), ...(lens.required_files ?? [])]) {
      if (compiled.has(re)) continue;
      compiled.add(re);
      const e = regexpError(re);
      if (e) {
        const where =
          i < (s.lenses?.length ?? 0) ? at('spyglass', 'lenses', i) : at('spyglass', 'viewers');
        report(where, `cannot compile regexp ${q(re)}, err: ${e}`);
      }
    }
  });

  const prefix = s.gcs_browser_prefix ?? '';
  const byRepo = { ...s.gcs_browser_prefixes };
  if ('*' in byRepo && prefix !== '') {
    const message = "both gcs_browser_prefix and gcs_browser_prefixes['*'] are specified.";
    report(at('spyglass', 'gcs_browser_prefixes'), message);
  } else if (!('*' in byRepo)) byRepo['*'] = prefix;
  const byBucket = { ...s.gcs_browser_prefixes_by_bucket };
  if ('*' in byBucket && prefix !== '') {
    const message =
      "both gcs_browser_prefix and gcs_browser_prefixes_by_bucket['*'] are specified.";
    report(at('spyglass', 'gcs_browser_prefixes_by_bucket'), message);
  } else if (!('*' in byBucket)) byBucket['*'] = prefix;

  // FinalizeDefaultRerunAuthConfigs, then Deck.Validate.
  const mapped = Object.keys(d.rerun_auth_configs ?? {}).length > 0;
  const sliced = (d.default_rerun_auth_configs?.length ?? 0) > 0;
  let entries: DefaultRerunAuthConfigEntry[] = d.default_rerun_auth_configs ?? [];
  if (mapped && sliced) {
    const message =
      'deck.rerun_auth_configs and deck.default_rerun_auth_configs are mutually exclusive, please use one or the other';
    report(at('rerun_auth_configs'), message);
  } else if (mapped) entries = rerunAuthEntries(d.rerun_auth_configs ?? {});
  const validateBuckets = d.skip_storage_path_validation === false;
  const extra = d.additional_allowed_buckets ?? [];
  if (extra.length > 0 && !validateBuckets) {
    const message = `deck.skip_storage_path_validation is enabled despite deck.additional_allowed_buckets being configured: [${extra.join(' ')}]`;
    report(at('additional_allowed_buckets'), message);
  }
  entries.forEach((e, i) => {
    const err = rerunAuthConfigError(e.rerun_auth_configs);
    if (!err) return;
    const where = mapped
      ? at('rerun_auth_configs', e.repo ?? '')
      : at('default_rerun_auth_configs', i);
    report(where, `default_rerun_auth_configs[${i}]: ${err}`);
  });

  return {
    ...d,
    spyglass: {
      ...s,
      lenses,
      size_limit: sizeLimit,
      gcs_browser_prefixes: byRepo,
      gcs_browser_prefixes_by_bucket: byBucket,
      bucket_aliases: s.bucket_aliases ?? {},
    },
    tide_update_period: tideUpdate.text,
    tide_update_period_ms: tideUpdate.ms,
    default_rerun_auth_configs: entries,
    all_known_storage_buckets: [...new Set(extra)].sort(),
  };
}

/** stripProviderPrefixFromBucket: `gs://b` → `b`. */
export function stripProviderPrefix(bucket: string): string {
  const split = bucket.split('://');
  return split.length === 2 ? (split[1] as string) : bucket;
}
