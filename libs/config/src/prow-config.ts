// config.yaml (Prow's `ProwConfig`, pkg/config/config.go): the keys jetprow's services read, with
// Prow's defaults (parseProwConfig) applied and Prow's checks made. Every other key is kept as
// written, so nothing a user wrote is lost, but it is not interpreted.
import { checkDuration } from '@jetprow/core';
import Type from 'typebox';
import { ConfigError } from './errors.js';
import { makeDecoder } from './schema-decode.js';
import { DecorationConfig, ProwJobDefault } from './types.js';
import { locate } from './yaml-file.js';

const Open = { additionalProperties: true } as const;
const OptStr = Type.Optional(Type.String());
const StrList = Type.Array(Type.String());

const DefaultDecorationConfigEntry = Type.Object(
  { repo: OptStr, cluster: OptStr, config: Type.Optional(DecorationConfig) },
  Open,
);
export type DefaultDecorationConfigEntry = Type.Static<typeof DefaultDecorationConfigEntry>;

const ProwJobDefaultEntry = Type.Object(
  { repo: OptStr, cluster: OptStr, config: Type.Optional(ProwJobDefault) },
  Open,
);
export type ProwJobDefaultEntry = Type.Static<typeof ProwJobDefaultEntry>;

const RawProwConfig = Type.Object(
  {
    prowjob_namespace: OptStr,
    pod_namespace: OptStr,
    log_level: OptStr,
    default_job_timeout: OptStr,
    status_error_link: OptStr,
    prowjob_default_entries: Type.Optional(Type.Array(ProwJobDefaultEntry)),
    plank: Type.Optional(
      Type.Object(
        {
          job_url_template: OptStr,
          job_url_prefix_config: Type.Optional(Type.Record(Type.String(), Type.String())),
          jobURLPrefixDisableAppendStorageProvider: Type.Optional(Type.Boolean()),
          report_template: OptStr,
          report_templates: Type.Optional(Type.Record(Type.String(), Type.String())),
          pod_pending_timeout: OptStr,
          pod_unscheduled_timeout: OptStr,
          pod_running_timeout: OptStr,
          max_revivals: Type.Optional(Type.Integer()),
          max_concurrency: Type.Optional(Type.Integer()),
          max_goroutines: Type.Optional(Type.Integer()),
          job_queue_capacities: Type.Optional(Type.Record(Type.String(), Type.Integer())),
          default_decoration_configs: Type.Optional(Type.Record(Type.String(), DecorationConfig)),
          default_decoration_config_entries: Type.Optional(
            Type.Array(DefaultDecorationConfigEntry),
          ),
          build_cluster_status_file: OptStr,
        },
        Open,
      ),
    ),
    sinker: Type.Optional(
      Type.Object(
        {
          resync_period: OptStr,
          max_prowjob_age: OptStr,
          max_pod_age: OptStr,
          terminated_pod_ttl: OptStr,
          exclude_clusters: Type.Optional(StrList),
        },
        Open,
      ),
    ),
    github_reporter: Type.Optional(
      Type.Object(
        {
          job_types_to_report: Type.Optional(StrList),
          no_comment_repos: Type.Optional(StrList),
          summary_comment_repos: Type.Optional(StrList),
        },
        Open,
      ),
    ),
    horologium: Type.Optional(Type.Object({ tick_interval: OptStr }, Open)),
    scheduler: Type.Optional(Type.Object({ enabled: Type.Optional(Type.Boolean()) }, Open)),
    github: Type.Optional(Type.Object({ link_url: OptStr }, Open)),
  },
  Open,
);
const decodeRaw = makeDecoder(RawProwConfig);

export interface PlankConfig {
  /** Go text/template rendered over the ProwJob into `status.url`. Not parsed here. */
  job_url_template?: string;
  job_url_prefix_config: Record<string, string>;
  jobURLPrefixDisableAppendStorageProvider: boolean;
  /** `org/repo` | `org` | `*` → Go template; the legacy `report_template` becomes `*`. */
  report_templates: Record<string, string>;
  pod_pending_timeout: string;
  pod_unscheduled_timeout: string;
  pod_running_timeout: string;
  max_revivals: number;
  /** 0 = unlimited. */
  max_concurrency: number;
  max_goroutines: number;
  job_queue_capacities: Record<string, number>;
  /**
   * Applied in order, later entries overriding; the legacy `default_decoration_configs` map is
   * converted to this form.
   */
  default_decoration_config_entries: DefaultDecorationConfigEntry[];
  build_cluster_status_file?: string;
  [key: string]: unknown;
}

export interface SinkerConfig {
  resync_period: string;
  max_prowjob_age: string;
  max_pod_age: string;
  terminated_pod_ttl: string;
  exclude_clusters: string[];
  [key: string]: unknown;
}

export interface GitHubReporterConfig {
  job_types_to_report: ('presubmit' | 'postsubmit')[];
  no_comment_repos: string[];
  summary_comment_repos: string[];
  [key: string]: unknown;
}

/** config.yaml with Prow's defaults. Durations are Go duration strings (see parseDuration). */
export interface ProwConfig {
  prowjob_namespace: string;
  pod_namespace: string;
  log_level: string;
  default_job_timeout: string;
  status_error_link: string;
  prowjob_default_entries: ProwJobDefaultEntry[];
  plank: PlankConfig;
  sinker: SinkerConfig;
  github_reporter: GitHubReporterConfig;
  horologium: { tick_interval: string; [key: string]: unknown };
  scheduler: { enabled: boolean; [key: string]: unknown };
  github: { link_url: string; [key: string]: unknown };
  /** Every other config.yaml key, as written (tide, deck, branch-protection, …). */
  [key: string]: unknown;
}

const JOB_CONFIG_KEYS = ['presubmits', 'postsubmits', 'periodics', 'presets', 'decorate_all_jobs'];
const LOG_LEVELS = ['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace'];
type ReportableType = 'presubmit' | 'postsubmit';
const isReportable = (t: string): t is ReportableType => t === 'presubmit' || t === 'postsubmit';

/** defaultDecorationMapToSlice: `*` first, then orgs, then repos. */
function legacyDecorationEntries(
  m: Record<string, DecorationConfig>,
): DefaultDecorationConfigEntry[] {
  const keys = Object.keys(m);
  const ordered = [
    ...keys.filter((k) => k === '*'),
    ...keys.filter((k) => k !== '*' && !k.includes('/')),
    ...keys.filter((k) => k !== '*' && k.includes('/')),
  ];
  return ordered.map((repo) => ({ repo, cluster: '', config: m[repo] as DecorationConfig }));
}

export function defaultProwConfig(): ProwConfig {
  return parseProwConfig({}, '<defaults>').config;
}

type Err = (field: string, message: string) => void;
type Dur = (field: string, value: string | undefined, def: string) => string;
type RawPlank = NonNullable<Type.Static<typeof RawProwConfig>['plank']>;

function plankConfig(p: RawPlank, err: Err, duration: Dur): PlankConfig {
  let reportTemplates = p.report_templates ?? {};
  if (p.report_template !== undefined && p.report_template !== '') {
    if (Object.keys(reportTemplates).length > 0) {
      err('plank.report_template', 'both report_template and report_templates are specified');
    } else reportTemplates = { '*': p.report_template };
  }
  const legacyMap = p.default_decoration_configs ?? {};
  const entries = p.default_decoration_config_entries ?? [];
  if (Object.keys(legacyMap).length > 0 && entries.length > 0) {
    err(
      'plank.default_decoration_configs',
      'plank.default_decoration_configs and plank.default_decoration_config_entries are mutually exclusive, please use one or the other',
    );
  }
  const maxConcurrency = p.max_concurrency ?? 0;
  if (maxConcurrency < 0) {
    const message = `controller has invalid max_concurrency (${maxConcurrency}), it needs to be a non-negative number`;
    err('plank.max_concurrency', message);
  }
  const maxGoroutines = !p.max_goroutines ? 20 : p.max_goroutines;
  if (maxGoroutines <= 0) {
    const message = `controller has invalid max_goroutines (${maxGoroutines}), it needs to be a positive number`;
    err('plank.max_goroutines', message);
  }
  const plank: PlankConfig = {
    ...p,
    job_url_prefix_config: p.job_url_prefix_config ?? {},
    jobURLPrefixDisableAppendStorageProvider: p.jobURLPrefixDisableAppendStorageProvider ?? false,
    report_templates: reportTemplates,
    pod_pending_timeout: duration('plank.pod_pending_timeout', p.pod_pending_timeout, '10m'),
    pod_unscheduled_timeout: duration(
      'plank.pod_unscheduled_timeout',
      p.pod_unscheduled_timeout,
      '5m',
    ),
    pod_running_timeout: duration('plank.pod_running_timeout', p.pod_running_timeout, '48h'),
    max_revivals: p.max_revivals ?? 3,
    max_concurrency: maxConcurrency,
    max_goroutines: maxGoroutines,
    job_queue_capacities: p.job_queue_capacities ?? {},
    default_decoration_config_entries:
      entries.length > 0 ? entries : legacyDecorationEntries(legacyMap),
  };
  delete plank.report_template;
  delete plank.default_decoration_configs;
  return plank;
}

/** Decodes, defaults and checks config.yaml's contents. `raw` is the parsed YAML document. */
export function parseProwConfig(
  raw: unknown,
  file: string,
): { config: ProwConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const add = (field: string, message: string, path: (string | number)[]) => {
    const pos = locate(file, path);
    errors.push(new ConfigError({ file, field, message, line: pos?.line, column: pos?.column }));
  };
  const err: Err = (field, message) => add(field, message, field.split('.'));
  const input = raw === null || raw === undefined ? {} : raw;
  if (typeof input !== 'object' || Array.isArray(input)) {
    errors.push(new ConfigError({ file, message: 'config must be a YAML mapping' }));
    return { config: defaultProwConfig(), errors };
  }
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!JOB_CONFIG_KEYS.includes(k)) rest[k] = v;
  const decoded = decodeRaw.decode(rest);
  if (!decoded.ok) {
    for (const p of decoded.problems) add(p.field, p.message, p.path);
    return { config: defaultProwConfig(), errors };
  }
  const c = decoded.value;
  const duration: Dur = (field, value, def) => {
    if (value === undefined) return def;
    const d = checkDuration(value);
    if ('error' in d) err(field, d.error);
    return value;
  };

  const s = c.sinker ?? {};
  const maxPodAge = duration('sinker.max_pod_age', s.max_pod_age, '24h');
  const sinker: SinkerConfig = {
    ...s,
    resync_period: duration('sinker.resync_period', s.resync_period, '1h'),
    max_prowjob_age: duration('sinker.max_prowjob_age', s.max_prowjob_age, '168h'),
    max_pod_age: maxPodAge,
    terminated_pod_ttl: duration('sinker.terminated_pod_ttl', s.terminated_pod_ttl, maxPodAge),
    exclude_clusters: s.exclude_clusters ?? [],
  };

  const g = c.github_reporter ?? {};
  const types = g.job_types_to_report?.length ? g.job_types_to_report : ['presubmit', 'postsubmit'];
  for (const t of types.filter((t) => !isReportable(t))) {
    err('github_reporter.job_types_to_report', `invalid job_types_to_report: ${t}`);
  }
  const githubReporter: GitHubReporterConfig = {
    ...g,
    job_types_to_report: types.filter(isReportable),
    no_comment_repos: g.no_comment_repos ?? [],
    summary_comment_repos: g.summary_comment_repos ?? [],
  };

  const logLevel = c.log_level || 'info';
  if (!LOG_LEVELS.includes(logLevel.toLowerCase())) {
    err('log_level', `not a valid logrus Level: ${JSON.stringify(logLevel)}`);
  }

  const config: ProwConfig = {
    ...c,
    prowjob_namespace: c.prowjob_namespace || 'default',
    pod_namespace: c.pod_namespace || 'default',
    log_level: logLevel,
    default_job_timeout: duration('default_job_timeout', c.default_job_timeout, '24h'),
    status_error_link: c.status_error_link || 'https://github.com/kubernetes/test-infra/issues',
    prowjob_default_entries: c.prowjob_default_entries ?? [],
    plank: plankConfig(c.plank ?? {}, err, duration),
    sinker,
    github_reporter: githubReporter,
    horologium: {
      ...c.horologium,
      tick_interval: duration('horologium.tick_interval', c.horologium?.tick_interval, '1m'),
    },
    scheduler: { ...c.scheduler, enabled: c.scheduler?.enabled ?? false },
    github: { ...c.github, link_url: c.github?.link_url || 'https://github.com' },
  };
  return { config, errors };
}
