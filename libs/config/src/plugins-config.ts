// plugins.yaml (Prow's `plugins.Configuration`, pkg/plugins/config.go): the `plugins`,
// `triggers` and `external_plugins` sections, defaulted and checked as Prow does. Other sections
// (approve, lgtm, size, …) are kept as written for the plugins that read them.
import Type from 'typebox';
import { ConfigError } from './errors.js';
import { makeDecoder } from './schema-decode.js';
import { pluginDefaults } from './plugins-defaults.js';
import { validatePluginSections } from './plugins-validate.js';
import { formatPath } from './schema-decode.js';
import type { Report } from './section-util.js';
import { locate } from './yaml-file.js';

const Open = { additionalProperties: true } as const;
const StrList = Type.Array(Type.String());

export const OrgPlugins = Type.Object(
  { plugins: Type.Optional(StrList), excluded_repos: Type.Optional(StrList) },
  Open,
);
export type OrgPlugins = { plugins: string[]; excluded_repos: string[] };

const ProminentInvite = Type.Object(
  {
    disabled: Type.Optional(Type.Boolean()),
    merged_pr_threshold: Type.Optional(Type.Integer()),
    message: Type.Optional(Type.String()),
  },
  Open,
);

export const Trigger = Type.Object(
  {
    repos: Type.Optional(StrList),
    trusted_apps: Type.Optional(StrList),
    trusted_org: Type.Optional(Type.String()),
    join_org_url: Type.Optional(Type.String()),
    only_org_members: Type.Optional(Type.Boolean()),
    ignore_ok_to_test: Type.Optional(Type.Boolean()),
    trigger_github_workflows: Type.Optional(Type.Boolean()),
    org_invite: Type.Optional(Type.Object({ prominent: Type.Optional(ProminentInvite) }, Open)),
  },
  Open,
);
type RawTrigger = Type.Static<typeof Trigger>;

/** `org_invite.prominent`: the louder "join the org" tip for authors with merged PRs. */
export interface ProminentInvite {
  disabled: boolean;
  /** Merged PRs in the org from which the tip shows. Default 3. */
  merged_pr_threshold: number;
  /** Replaces the tip's text; `{join_org_url}` is replaced by the org's join URL. */
  message: string;
  [key: string]: unknown;
}

/** A `triggers:` entry, defaulted (Go's zero values; Prow's Trigger.SetDefaults). */
export interface Trigger {
  repos: string[];
  trusted_apps: string[];
  /** Deprecated: a second org whose members are trusted. */
  trusted_org: string;
  /** Defaults to the trusted org's people page when `trusted_org` is set, else ''. */
  join_org_url: string;
  only_org_members: boolean;
  ignore_ok_to_test: boolean;
  trigger_github_workflows: boolean;
  org_invite: { prominent: ProminentInvite; [key: string]: unknown };
  [key: string]: unknown;
}

/** The defaulted entry; with no argument, the one TriggerFor returns for a repo none names. */
export function defaultTrigger(t: RawTrigger = {}): Trigger {
  const trustedOrg = t.trusted_org ?? '';
  const prominent = t.org_invite?.prominent ?? {};
  return {
    ...t,
    repos: t.repos ?? [],
    trusted_apps: t.trusted_apps ?? [],
    trusted_org: trustedOrg,
    join_org_url:
      t.join_org_url || (trustedOrg ? `https://github.com/orgs/${trustedOrg}/people` : ''),
    only_org_members: t.only_org_members ?? false,
    ignore_ok_to_test: t.ignore_ok_to_test ?? false,
    trigger_github_workflows: t.trigger_github_workflows ?? false,
    org_invite: {
      ...t.org_invite,
      prominent: {
        ...prominent,
        disabled: prominent.disabled ?? false,
        merged_pr_threshold: prominent.merged_pr_threshold ?? 3,
        message: prominent.message ?? '',
      },
    },
  };
}

export const ExternalPlugin = Type.Object(
  { name: Type.String(), endpoint: Type.Optional(Type.String()), events: Type.Optional(StrList) },
  Open,
);
/** `endpoint` defaults to `http://<name>`; empty `events` means all events. */
export type ExternalPlugin = { name: string; endpoint: string; events: string[] };

const RawPlugins = Type.Object(
  {
    triggers: Type.Optional(Type.Array(Trigger)),
    external_plugins: Type.Optional(Type.Record(Type.String(), Type.Array(ExternalPlugin))),
  },
  Open,
);
const decodeRaw = makeDecoder(RawPlugins);
const decodeOrgPlugins = makeDecoder(OrgPlugins);

export interface PluginsConfig {
  /** `org` or `org/repo` → enabled plugins; a repo gets its org's plugins too (unless excluded). */
  plugins: Record<string, OrgPlugins>;
  triggers: Trigger[];
  external_plugins: Record<string, ExternalPlugin[]>;
  /** Every other plugins.yaml key, as written. */
  [key: string]: unknown;
}

export function emptyPluginsConfig(): PluginsConfig {
  return { plugins: {}, triggers: [], external_plugins: {} };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Err = (field: string | undefined, message: string, path?: (string | number)[]) => void;

const DEPRECATED_LIST_FORM =
  'plugins declaration uses a deprecated config style, see https://github.com/kubernetes/test-infra/issues/20631#issuecomment-787693609 for a migration guide';

/**
 * `plugins:` is either the current form (`org: {plugins: [...], excluded_repos: [...]}`) or, for
 * every key at once, the deprecated list form (`org: [a, b]`) (Prow's Plugins.UnmarshalJSON).
 */
function parsePluginsMap(
  raw: unknown,
  err: Err,
): { plugins: Record<string, OrgPlugins>; legacy: boolean } {
  const plugins: Record<string, OrgPlugins> = {};
  if (raw === undefined || raw === null) return { plugins, legacy: false };
  if (!isObject(raw)) {
    err('plugins', 'must be a mapping of org or org/repo to plugins', ['plugins']);
    return { plugins, legacy: false };
  }
  const values = Object.values(raw);
  const legacy = values.length > 0 && values.every((v) => v === null || Array.isArray(v));
  for (const [key, v] of Object.entries(raw)) {
    const r = decodeOrgPlugins.decode(legacy ? { plugins: v ?? [] } : (v ?? {}));
    if (!r.ok) {
      const p = r.problems[0];
      const field = `plugins.${key}${p?.field ? `.${p.field}` : ''}`;
      const mixed = 'list form cannot be mixed with the {plugins: [...]} form';
      err(field, Array.isArray(v) ? mixed : (p?.message ?? 'invalid'), ['plugins', key]);
      continue;
    }
    plugins[key] = { plugins: r.value.plugins ?? [], excluded_repos: r.value.excluded_repos ?? [] };
  }
  return { plugins, legacy };
}

/** validatePluginsDupes, validateMutuallyExclusivePlugins, validateExternalPlugins. */
function validatePlugins(
  plugins: Record<string, OrgPlugins>,
  external: Record<string, ExternalPlugin[]>,
  err: Err,
): void {
  const has = (c: OrgPlugins, p: string) => c.plugins.includes(p);
  for (const [key, cfg] of Object.entries(plugins)) {
    const where = ['plugins', key];
    if (has(cfg, 'blunderbuss') && has(cfg, 'rifle')) {
      err(`plugins.${key}`, `${key}: blunderbuss and rifle plugins are mutually exclusive`, where);
    }
    const [org, repo] = key.split('/');
    if (repo === undefined || org === undefined) continue;
    const orgCfg = plugins[org];
    if (!orgCfg || orgCfg.excluded_repos.includes(repo)) continue;
    const dupes = cfg.plugins.filter((p) => orgCfg.plugins.includes(p));
    if (dupes.length > 0) {
      const message = `plugins [${dupes.join(' ')}] are duplicated for ${repo} and ${org}`;
      err(`plugins.${key}`, message, where);
    }
    const conflict =
      (has(cfg, 'blunderbuss') && has(orgCfg, 'rifle')) ||
      (has(cfg, 'rifle') && has(orgCfg, 'blunderbuss'));
    if (conflict && !(has(cfg, 'blunderbuss') && has(cfg, 'rifle'))) {
      const message = `${key}: blunderbuss and rifle plugins are mutually exclusive (conflict between ${org} and ${key} config)`;
      err(`plugins.${key}`, message, where);
    }
  }
  for (const [key, list] of Object.entries(external)) {
    const slash = key.indexOf('/');
    if (slash < 0) continue;
    const org = key.slice(0, slash);
    const orgNames = (external[org] ?? []).map((p) => p.name);
    const dupes = list.map((p) => p.name).filter((n) => orgNames.includes(n));
    if (dupes.length > 0) {
      const message = `external plugins [${dupes.join(' ')}] are duplicated for ${key} and ${org}`;
      err(`external_plugins.${key}`, message, ['external_plugins', key]);
    }
  }
}

/** Decodes, defaults and checks plugins.yaml's contents. */
export function parsePluginsConfig(
  raw: unknown,
  file: string,
): { config: PluginsConfig; errors: ConfigError[]; warnings: ConfigError[] } {
  const errors: ConfigError[] = [];
  const warnings: ConfigError[] = [];
  const err: Err = (field, message, path = []) => {
    const pos = path.length ? locate(file, path) : undefined;
    errors.push(new ConfigError({ file, field, message, line: pos?.line, column: pos?.column }));
  };
  const input = raw === null || raw === undefined ? {} : raw;
  if (!isObject(input)) {
    err(undefined, 'plugin config must be a YAML mapping');
    return { config: emptyPluginsConfig(), errors, warnings };
  }
  const { plugins: rawPlugins, ...others } = input;
  const decoded = decodeRaw.decode(others);
  if (!decoded.ok) {
    for (const p of decoded.problems) err(p.field, p.message, p.path);
    return { config: emptyPluginsConfig(), errors, warnings };
  }
  const { plugins, legacy } = parsePluginsMap(rawPlugins, err);
  if (legacy) {
    warnings.push(new ConfigError({ file, field: 'plugins', message: DEPRECATED_LIST_FORM }));
  }

  const external: Record<string, ExternalPlugin[]> = {};
  for (const [key, list] of Object.entries(decoded.value.external_plugins ?? {})) {
    external[key] = list.map((p) => ({
      ...p,
      endpoint: p.endpoint || `http://${p.name}`,
      events: p.events ?? [],
    }));
  }
  const triggers = (decoded.value.triggers ?? []).map((t) => {
    if (t.trusted_org) {
      const message = 'trusted_org functionality is deprecated';
      warnings.push(new ConfigError({ file, field: 'triggers', message }));
    }
    return defaultTrigger(t);
  });
  validatePlugins(plugins, external, err);
  const report: Report = (path, message) => err(formatPath(path), message, path);
  const warn: Report = (path, message) => {
    const pos = locate(file, path);
    const field = formatPath(path);
    warnings.push(new ConfigError({ file, field, message, line: pos?.line, column: pos?.column }));
  };
  const defaults = pluginDefaults(decoded.value);
  validatePluginSections(decoded.value, defaults, report, warn);

  const config: PluginsConfig = {
    ...decoded.value,
    ...defaults,
    plugins,
    triggers,
    external_plugins: external,
  };
  return { config, errors, warnings };
}
