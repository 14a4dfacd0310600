// The config.yaml sections of Prow components jetprow does not run, defaulted and checked as Prow's
// parseProwConfig, loadConfig and validateComponentConfig do (pkg/config/config.go):
// slack_reporter_configs, managed_webhooks, pubsub_subscriptions/pubsub_triggers, gerrit,
// gangway, in_repo_config, github.link_url and branch-protection's global include/exclude.
import { compileGoTemplate, prowJobData } from '@jetprow/core';
import type { ProwJob } from '@jetprow/schemas';
import { goUrlParseError } from './go-url.js';
import { regexpError } from './matchers.js';
import { durationAt, isObject, type Path, type Report } from './section-util.js';

const q = JSON.stringify;

// --- slack_reporter_configs ---

export const DEFAULT_SLACK_REPORT_TEMPLATE =
  'Job {{.Spec.Job}} of type {{.Spec.Type}} ended with state {{.Status.State}}. <{{.Status.URL}}|View logs>';

const EMPTY_PROWJOB = {
  apiVersion: 'prow.k8s.io/v1',
  kind: 'ProwJob',
  metadata: {},
  spec: {},
  status: {},
} as unknown as ProwJob;

export interface SlackReporter {
  channel: string;
  report_template: string;
  job_types_to_report?: string[];
  job_states_to_report?: string[];
  [key: string]: unknown;
}

/** SlackReporter.DefaultAndValidate for each `org/repo` | `org` | `*` entry. */
export function slackReporterConfigs(raw: unknown, report: Report): Record<string, SlackReporter> {
  const out: Record<string, SlackReporter> = {};
  if (raw === undefined || raw === null) return out;
  if (!isObject(raw)) {
    report(
      ['slack_reporter_configs'],
      'must be a mapping of org, org/repo or * to a Slack reporter',
    );
    return out;
  }
  const prefix = 'failed to validate slackreporter config: ';
  for (const [key, value] of Object.entries(raw)) {
    const at: Path = ['slack_reporter_configs', key];
    const cfg = (isObject(value) ? value : {}) as Partial<SlackReporter>;
    const template = cfg.report_template || DEFAULT_SLACK_REPORT_TEMPLATE;
    out[key] = { ...cfg, channel: cfg.channel ?? '', report_template: template };
    if (!cfg.channel) {
      report([...at, 'channel'], `${prefix}channel must be set`);
      continue;
    }
    let tmpl;
    try {
      tmpl = compileGoTemplate(template, '');
    } catch (err) {
      report(
        [...at, 'report_template'],
        `${prefix}failed to parse template: ${(err as Error).message}`,
      );
      continue;
    }
    try {
      tmpl.execute(prowJobData(EMPTY_PROWJOB));
    } catch (err) {
      const message = `${prefix}failed to execute report_template: ${(err as Error).message}`;
      report([...at, 'report_template'], message);
    }
  }
  return out;
}

// --- managed_webhooks ---

/** Go's time.Time.String() for the instant `d` written with `offset` (e.g. `+0000 UTC`). */
function goTimeString(text: string, d: Date): string {
  const m = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const offsetMin = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const local = new Date(d.getTime() + offsetMin * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const frac = /\.(\d+)/.exec(text)?.[1]?.replace(/0+$/, '');
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac ? `.${frac}` : ''}`;
  const sign = offsetMin < 0 ? '-' : '+';
  const off = `${sign}${pad(Math.floor(Math.abs(offsetMin) / 60))}${pad(Math.abs(offsetMin) % 60)}`;
  return `${date} ${time} ${off} ${offsetMin === 0 ? 'UTC' : off}`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** token_created_after is an RFC 3339 time no later than now. */
export function managedWebhooksConfig(raw: unknown, report: Report, now: Date): unknown {
  if (!isObject(raw)) return raw;
  const repos = raw.org_repo_config;
  if (!isObject(repos)) return raw;
  for (const [name, info] of Object.entries(repos)) {
    const at: Path = ['managed_webhooks', 'org_repo_config', name, 'token_created_after'];
    const text = isObject(info) ? info.token_created_after : undefined;
    if (text === undefined || text === null) continue;
    const s = String(text);
    const d = new Date(s);
    if (!RFC3339.test(s) || Number.isNaN(d.getTime())) {
      report(
        at,
        `parsing time ${q(s)} as "2006-01-02T15:04:05Z07:00": cannot parse ${q(s)} as RFC 3339`,
      );
      continue;
    }
    if (d.getTime() > now.getTime()) {
      const message = `token_created_after ${goTimeString(s, d)} can be no later than current time for repo/org ${name}`;
      report(at, message);
    }
  }
  return raw;
}

// --- pubsub ---

export interface PubSubTrigger {
  project: string;
  topics: string[];
  allowed_clusters: string[];
  /** Default 10. */
  max_outstanding_messages: number;
  [key: string]: unknown;
}

/** pubsub_subscriptions (project → topics) becomes pubsub_triggers; the two are exclusive. */
export function pubsubTriggers(
  subscriptions: unknown,
  triggers: unknown,
  report: Report,
): PubSubTrigger[] {
  const present = (v: unknown) => v !== undefined && v !== null;
  let out: PubSubTrigger[] = [];
  if (present(triggers)) {
    if (!Array.isArray(triggers)) report(['pubsub_triggers'], 'must be a list');
    else out = triggers.filter(isObject) as PubSubTrigger[];
  }
  if (present(subscriptions)) {
    if (present(triggers)) {
      report(
        ['pubsub_subscriptions'],
        'pubsub_subscriptions and pubsub_triggers are mutually exclusive',
      );
    } else if (!isObject(subscriptions)) {
      report(['pubsub_subscriptions'], 'must be a mapping of project to topics');
    } else {
      out = Object.entries(subscriptions).map(([project, topics]) => ({
        project,
        topics: Array.isArray(topics) ? topics.map(String) : [],
        allowed_clusters: ['*'],
        max_outstanding_messages: 0,
      }));
    }
  }
  return out.map((t) => ({ ...t, max_outstanding_messages: t.max_outstanding_messages || 10 }));
}

// --- gerrit, gangway, in_repo_config, push_gateway, moonraker, github, branch-protection ---

export interface GerritConfig {
  /** Default `1m`. */
  tick_interval: string;
  tick_interval_ms: number;
  /** Default 5. */
  ratelimit: number;
  deck_url?: string;
  /** Comments that may trigger presubmits (default: every comment). */
  allowed_presubmit_trigger_re: string;
  [key: string]: unknown;
}

export function gerritConfig(raw: unknown, report: Report): GerritConfig {
  const g = (isObject(raw) ? raw : {}) as Partial<GerritConfig>;
  const tick = durationAt(report, ['gerrit', 'tick_interval'], g.tick_interval, '1m');
  const re = g.allowed_presubmit_trigger_re ?? '';
  const e = regexpError(re);
  if (e) {
    const message = `validating gerrit config: failed to compile regex for allowed presubmit triggers: ${e}`;
    report(['gerrit', 'allowed_presubmit_trigger_re'], message);
  }
  if (g.deck_url) {
    const ue = goUrlParseError(g.deck_url);
    if (ue) report(['gerrit', 'deck_url'], `invalid value for gerrit.deck_url: ${ue}`);
  }
  return {
    ...g,
    tick_interval: tick.text,
    tick_interval_ms: tick.ms,
    ratelimit: g.ratelimit || 5,
    allowed_presubmit_trigger_re: re,
  };
}

/** Gangway.Validate. */
export function gangwayErrors(raw: unknown, report: Report): void {
  if (!isObject(raw) || !Array.isArray(raw.allowed_api_clients)) return;
  const declared = new Set<string>();
  raw.allowed_api_clients.forEach((client: unknown, i) => {
    const at: Path = ['gangway', 'allowed_api_clients', i];
    const c = isObject(client) ? client : {};
    const gcp = isObject(c.gcp) ? c.gcp : undefined;
    if (gcp === undefined) {
      report(at, 'allowedApiClient did not have a cloud vendor set');
      return;
    }
    const type = String(gcp.endpoint_api_consumer_type ?? '');
    const number = String(gcp.endpoint_api_consumer_number ?? '');
    if (type !== 'PROJECT') {
      report([...at, 'gcp'], `unsupported GCP API consumer type: ${q(type)}`);
      return;
    }
    if (!/^[0-9]+$/.test(number)) {
      report([...at, 'gcp'], `invalid EndpointApiConsumerNumber: ${q(number)}`);
      return;
    }
    const uuid = `gcp-${type}-${number}`;
    if (declared.has(uuid)) {
      report([...at, 'gcp'], `AllowedApiClient ${q(uuid)} declared multiple times`);
      return;
    }
    declared.add(uuid);
    const filters = Array.isArray(c.allowed_jobs_filters) ? c.allowed_jobs_filters : [];
    if (filters.length === 0) {
      report([...at, 'allowed_jobs_filters'], 'allowed_jobs_filters field cannot be empty');
      return;
    }
    filters.forEach((f: unknown, j) => {
      if (!isObject(f) || !f.tenant_id) {
        report(
          [...at, 'allowed_jobs_filters', j],
          'AllowedJobsFilters entry has an empty tenant_id',
        );
      }
    });
  });
}

export interface InRepoConfig {
  enabled: Record<string, boolean>;
  /** `org/repo` | `org` | `*` → clusters; `*` defaults to `[default]` (`"*": []` disables it). */
  allowed_clusters: Record<string, string[]>;
  [key: string]: unknown;
}

export function inRepoConfig(raw: unknown): InRepoConfig {
  const c = (isObject(raw) ? raw : {}) as Partial<InRepoConfig>;
  const allowed: Record<string, string[]> = {
    ...(isObject(c.allowed_clusters) ? c.allowed_clusters : {}),
  };
  if (allowed['*'] === undefined || allowed['*'] === null) allowed['*'] = ['default'];
  return {
    ...c,
    enabled: (isObject(c.enabled) ? c.enabled : {}) as Record<string, boolean>,
    allowed_clusters: allowed,
  };
}

/** `github.link_url` parses as a URL (default https://github.com). */
export function linkURLError(link: string, report: Report): void {
  const e = goUrlParseError(link);
  if (e)
    report(
      ['github', 'link_url'],
      `unable to parse github.link_url, might not be a valid url: ${e}`,
    );
}

/** branch-protection: include and exclude are exclusive at the global level. */
export function branchProtectionErrors(raw: unknown, report: Report): void {
  if (!isObject(raw)) return;
  const len = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  if (len(raw.include) > 0 && len(raw.exclude) > 0) {
    const message =
      'Forbidden to set both Policy.Include and Policy.Exclude, Please use either Include or Exclude!';
    report(['branch-protection'], message);
  }
}
