// config.yaml (Prow's `ProwConfig`, pkg/config/config.go): the keys jetprow's services read, with
// Prow's defaults (parseProwConfig) applied and Prow's checks made, once per load. Every duration
// is kept as written (a Go duration string, or its default) and, parsed, as `<key>_ms`
// (milliseconds): services read the `_ms` value and never parse or default again. Every other key
// is kept as written, so nothing a user wrote is lost, but it is not interpreted.
import { checkDuration } from '@jetprow/core';
import Type from 'typebox';
import {
  controllerTemplateErrors,
  jenkinsOperatorsConfig,
  jobURLPrefixErrors,
} from './controller-config.js';
import {
  branchProtectionErrors,
  gangwayErrors,
  gerritConfig,
  inRepoConfig,
  linkURLError,
  managedWebhooksConfig,
  pubsubTriggers,
  slackReporterConfigs,
  type GerritConfig,
  type InRepoConfig,
  type PubSubTrigger,
  type SlackReporter,
} from './component-config.js';
import { deckConfig, decodeDeck, type DeckConfig, type RawDeck } from './deck-config.js';
import { ConfigError } from './errors.js';
import { formatPath, makeDecoder, type Decoder } from './schema-decode.js';
import { durationAt, type Path, type Report } from './section-util.js';
import { decodeTide, tideConfig, type RawTide, type TideConfig } from './tide-config.js';
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
    push_gateway: Type.Optional(Type.Object({ interval: OptStr }, Open)),
    moonraker: Type.Optional(Type.Object({ client_timeout: OptStr }, Open)),
  },
  Open,
);
const decodeRaw = makeDecoder(RawProwConfig);
type RawProwConfigValue = Type.Static<typeof RawProwConfig>;

export interface PlankConfig {
  /** Go text/template rendered over the ProwJob into `status.url`. Not parsed here. */
  job_url_template?: string;
  job_url_prefix_config: Record<string, string>;
  jobURLPrefixDisableAppendStorageProvider: boolean;
  /** `org/repo` | `org` | `*` → Go template; the legacy `report_template` becomes `*`. */
  report_templates: Record<string, string>;
  /** Started but not running (Prow's PodPendingTimeout). Default `10m`. */
  pod_pending_timeout: string;
  pod_pending_timeout_ms: number;
  /** Not started (no node) yet (Prow's PodUnscheduledTimeout). Default `5m`. */
  pod_unscheduled_timeout: string;
  pod_unscheduled_timeout_ms: number;
  /** Running; then the job is aborted (Prow's PodRunningTimeout). Default `48h`. */
  pod_running_timeout: string;
  pod_running_timeout_ms: number;
  /** Re-creations of a lost build before the job errors. Default 3. */
  max_revivals: number;
  /** Pending jobs at once, all jobs together; 0 = unlimited. */
  max_concurrency: number;
  max_goroutines: number;
  /** `job_queue_name` → pending jobs of that queue at once (< 0 unlimited, 0 blocks). */
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
  /** Period of the passes. Default `1h`. */
  resync_period: string;
  resync_period_ms: number;
  /** Completed ProwJobs whose startTime is older are deleted. Default `168h`. */
  max_prowjob_age: string;
  max_prowjob_age_ms: number;
  /** Builds of completed jobs that started longer ago are deleted. Default `24h`. */
  max_pod_age: string;
  max_pod_age_ms: number;
  /** Builds of jobs completed longer ago are deleted. Default: `max_pod_age`. */
  terminated_pod_ttl: string;
  terminated_pod_ttl_ms: number;
  exclude_clusters: string[];
  [key: string]: unknown;
}

export interface GitHubReporterConfig {
  job_types_to_report: ('presubmit' | 'postsubmit')[];
  no_comment_repos: string[];
  summary_comment_repos: string[];
  [key: string]: unknown;
}

/**
 * config.yaml with Prow's defaults. Each duration is the Go duration string as written (or its
 * default) and, next to it as `<key>_ms`, its value in milliseconds (parseDuration).
 */
export interface ProwConfig {
  prowjob_namespace: string;
  pod_namespace: string;
  log_level: string;
  default_job_timeout: string;
  default_job_timeout_ms: number;
  status_error_link: string;
  prowjob_default_entries: ProwJobDefaultEntry[];
  plank: PlankConfig;
  sinker: SinkerConfig;
  github_reporter: GitHubReporterConfig;
  horologium: { tick_interval: string; tick_interval_ms: number; [key: string]: unknown };
  scheduler: { enabled: boolean; [key: string]: unknown };
  github: { link_url: string; [key: string]: unknown };
  tide: TideConfig;
  deck: DeckConfig;
  gerrit: GerritConfig;
  in_repo_config: InRepoConfig;
  /** `org/repo` | `org` | `*` → Slack reporter, `report_template` defaulted. */
  slack_reporter_configs: Record<string, SlackReporter>;
  /** pubsub_triggers, or pubsub_subscriptions converted (allowed_clusters `*`). */
  pubsub_triggers: PubSubTrigger[];
  push_gateway: { interval: string; interval_ms: number; [key: string]: unknown };
  moonraker: { client_timeout: string; client_timeout_ms: number; [key: string]: unknown };
  /** Every other config.yaml key, as written (branch-protection, gangway, …). */
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
/** A duration as written (or `def`) and parsed: `ms` is NaN when invalid (an error is reported). */
type Dur = (field: string, value: string | undefined, def: string) => { text: string; ms: number };
type RawPlank = NonNullable<Type.Static<typeof RawProwConfig>['plank']>;

function plankConfig(p: RawPlank, err: Err, duration: Dur, report: Report): PlankConfig {
  controllerTemplateErrors(p, ['plank'], report, [], 'validating plank config: ');
  jobURLPrefixErrors(p.job_url_prefix_config ?? {}, report);
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
  const pending = duration('plank.pod_pending_timeout', p.pod_pending_timeout, '10m');
  const unscheduled = duration('plank.pod_unscheduled_timeout', p.pod_unscheduled_timeout, '5m');
  const running = duration('plank.pod_running_timeout', p.pod_running_timeout, '48h');
  const plank: PlankConfig = {
    ...p,
    job_url_prefix_config: p.job_url_prefix_config ?? {},
    jobURLPrefixDisableAppendStorageProvider: p.jobURLPrefixDisableAppendStorageProvider ?? false,
    report_templates: reportTemplates,
    pod_pending_timeout: pending.text,
    pod_pending_timeout_ms: pending.ms,
    pod_unscheduled_timeout: unscheduled.text,
    pod_unscheduled_timeout_ms: unscheduled.ms,
    pod_running_timeout: running.text,
    pod_running_timeout_ms: running.ms,
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
export interface ParseProwConfigOptions {
  /** The time managed_webhooks' token_created_after is compared with (default: now). */
  now?: Date | undefined;
}

export interface ParsedProwConfig {
  config: ProwConfig;
  errors: ConfigError[];
  /** Deprecated forms Prow logs a warning for; the config is usable. */
  warnings: ConfigError[];
}

export function parseProwConfig(
  raw: unknown,
  file: string,
  options: ParseProwConfigOptions = {},
): ParsedProwConfig {
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const at = (list: ConfigError[]) => (field: string, message: string, path: Path) => {
    const pos = locate(file, path);
    list.push(new ConfigError({ file, field, message, line: pos?.line, column: pos?.column }));
  };
  const add = at(errors);
  const err: Err = (field, message) => add(field, message, field.split('.'));
  const report: Report = (path, message) => add(formatPath(path), message, path);
  const warn: Report = (path, message) => at(warnings)(formatPath(path), message, path);
  const input = raw === null || raw === undefined ? {} : raw;
  if (typeof input !== 'object' || Array.isArray(input)) {
    errors.push(new ConfigError({ file, message: 'config must be a YAML mapping' }));
    return { config: defaultProwConfig(), errors, warnings };
  }
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!JOB_CONFIG_KEYS.includes(k)) rest[k] = v;
  const decoded = decodeRaw.decode(rest);
  /**
   * A section decoded on its own: its problems are reported, and the keys they concern dropped,
   * so the rest of the section is still checked (the config does not load either way).
   */
  const section = <T>(key: string, decoder: Decoder<T>): T => {
    const v = rest[key];
    if (v === undefined || v === null) return {} as T;
    const r = decoder.decode(v);
    if (r.ok) return r.value;
    for (const p of r.problems) report([key, ...p.path], p.message);
    if (typeof v !== 'object' || Array.isArray(v)) return {} as T;
    const bad = new Set(r.problems.map((p) => String(p.path[0] ?? '')));
    const kept = Object.entries(v as Record<string, unknown>).filter(([k]) => !bad.has(k));
    const retry = decoder.decode(Object.fromEntries(kept));
    return retry.ok ? retry.value : ({} as T);
  };
  const rawTide = section<RawTide>('tide', decodeTide);
  const rawDeck = section<RawDeck>('deck', decodeDeck);
  let c: RawProwConfigValue;
  if (decoded.ok) c = decoded.value;
  else {
    // Report them, then check the sections that did decode, so every error is listed at once;
    // the result is Prow's defaults (the config does not load).
    for (const p of decoded.problems) add(p.field, p.message, p.path);
    const bad = new Set(decoded.problems.map((p) => String(p.path[0] ?? '')));
    const retry = decodeRaw.decode(
      Object.fromEntries(Object.entries(rest).filter(([k]) => !bad.has(k))),
    );
    if (!retry.ok) return { config: defaultProwConfig(), errors, warnings };
    c = retry.value;
  }
  const duration: Dur = (field, value, def) => {
    const text = value ?? def;
    const d = checkDuration(text);
    // A default is valid, except terminated_pod_ttl's (max_pod_age), reported under its own key.
    if ('error' in d && value !== undefined) err(field, d.error);
    return { text, ms: 'ms' in d ? d.ms : NaN };
  };

  const s = c.sinker ?? {};
  const maxPodAge = duration('sinker.max_pod_age', s.max_pod_age, '24h');
  const resync = duration('sinker.resync_period', s.resync_period, '1h');
  const maxProwJobAge = duration('sinker.max_prowjob_age', s.max_prowjob_age, '168h');
  const ttl = duration('sinker.terminated_pod_ttl', s.terminated_pod_ttl, maxPodAge.text);
  const sinker: SinkerConfig = {
    ...s,
    resync_period: resync.text,
    resync_period_ms: resync.ms,
    max_prowjob_age: maxProwJobAge.text,
    max_prowjob_age_ms: maxProwJobAge.ms,
    max_pod_age: maxPodAge.text,
    max_pod_age_ms: maxPodAge.ms,
    terminated_pod_ttl: ttl.text,
    terminated_pod_ttl_ms: ttl.ms,
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

  // Checked in this order (errors are listed in it): default_job_timeout, plank, horologium.
  const jobTimeout = duration('default_job_timeout', c.default_job_timeout, '24h');
  const plank = plankConfig(c.plank ?? {}, err, duration, report);
  if (c.plank?.report_template && !Object.keys(c.plank.report_templates ?? {}).length) {
    const message =
      "report_template is deprecated and it will be removed on September 2020. It will be replaced with report_templates['*']";
    warn(['plank', 'report_template'], message);
  }
  const gerrit = gerritConfig(rest.gerrit, report);
  const tide = tideConfig(rawTide, report, warn);
  const jenkinsOperators = jenkinsOperatorsConfig(rest.jenkins_operators, report);
  const deck = deckConfig(rawDeck, report);
  const pushInterval = durationAt(
    report,
    ['push_gateway', 'interval'],
    c.push_gateway?.interval,
    '1m',
  );
  const linkURL = c.github?.link_url || 'https://github.com';
  linkURLError(linkURL, report);
  branchProtectionErrors(rest['branch-protection'], report);
  const moonrakerTimeout = durationAt(
    report,
    ['moonraker', 'client_timeout'],
    c.moonraker?.client_timeout,
    '10m',
  );
  // loadConfig's defaults, then validateComponentConfig's checks.
  const pubsub = pubsubTriggers(rest.pubsub_subscriptions, rest.pubsub_triggers, report);
  managedWebhooksConfig(rest.managed_webhooks, report, options.now ?? new Date());
  const slack = slackReporterConfigs(rest.slack_reporter_configs, report);
  gangwayErrors(rest.gangway, report);
  const tick = duration('horologium.tick_interval', c.horologium?.tick_interval, '1m');
  const config: ProwConfig = {
    ...c,
    prowjob_namespace: c.prowjob_namespace || 'default',
    pod_namespace: c.pod_namespace || 'default',
    log_level: logLevel,
    default_job_timeout: jobTimeout.text,
    default_job_timeout_ms: jobTimeout.ms,
    status_error_link: c.status_error_link || 'https://github.com/kubernetes/test-infra/issues',
    prowjob_default_entries: c.prowjob_default_entries ?? [],
    plank,
    sinker,
    github_reporter: githubReporter,
    horologium: { ...c.horologium, tick_interval: tick.text, tick_interval_ms: tick.ms },
    scheduler: { ...c.scheduler, enabled: c.scheduler?.enabled ?? false },
    github: { ...c.github, link_url: linkURL },
    tide,
    deck,
    gerrit,
    in_repo_config: inRepoConfig(rest.in_repo_config),
    slack_reporter_configs: slack,
    pubsub_triggers: pubsub,
    push_gateway: { ...c.push_gateway, interval: pushInterval.text, interval_ms: pushInterval.ms },
    moonraker: {
      ...c.moonraker,
      client_timeout: moonrakerTimeout.text,
      client_timeout_ms: moonrakerTimeout.ms,
    },
  };
  if (jenkinsOperators.length > 0) config.jenkins_operators = jenkinsOperators;
  if (!decoded.ok) return { config: defaultProwConfig(), errors, warnings };
  return { config, errors, warnings };
}
