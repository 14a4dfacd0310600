// checkconfig's plugin warnings (cmd/checkconfig/main.go): validate-owners, missing-trigger,
// validate-label and validate-config-updater-acls.
import type { ConfigError } from '../errors.js';
import { at, type CheckContext } from './context.js';
import { OrgRepoSet, pluginSet } from './org-repo-set.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const OWNERS_PLUGINS = ['approve', 'blunderbuss', 'rifle', 'owners-label'];

/** verifyOwnersPlugin: repos whose plugins read OWNERS files also run verify-owners. */
export function validateOwners(ctx: CheckContext): ConfigError[] {
  const p = ctx.config.plugins;
  const owners = OWNERS_PLUGINS.map((name) => pluginSet(p, name)).reduce((a, b) => a.union(b));
  const invalid = owners.difference(pluginSet(p, 'verify-owners')).items();
  if (invalid.length === 0) return [];
  const message = `the following orgs or repos enable at least one plugin that uses OWNERS files (${OWNERS_PLUGINS.join(', ')}) but do not enable the verify-owners plugin to ensure validity of OWNERS files: [${invalid.join(' ')}]`;
  return [at(ctx.pluginFile ?? '', [], message)];
}

/** validateTriggers: every repo with presubmits or postsubmits has the trigger plugin. */
export function missingTrigger(ctx: CheckContext): ConfigError[] {
  const { jobs, plugins } = ctx.config;
  const configured = new OrgRepoSet(
    new Map(),
    new Set([...Object.keys(jobs.presubmits), ...Object.keys(jobs.postsubmits)]),
  );
  const missing = configured.difference(pluginSet(plugins, 'trigger')).items();
  if (missing.length === 0) return [];
  const message = `the following repos have jobs configured but do not have the trigger plugin enabled: ${missing.join(', ')}`;
  return [at(ctx.pluginFile ?? '', [], message)];
}

/** verifyLabelPlugin: restricted labels are neither also additional labels nor empty. */
export function validateLabel(ctx: CheckContext): ConfigError[] {
  const label = isObj(ctx.config.plugins.label) ? ctx.config.plugins.label : {};
  const additional = Array.isArray(label.additional_labels)
    ? label.additional_labels.map(String)
    : [];
  const restricted = isObj(label.restricted_labels) ? label.restricted_labels : {};
  const both = new Map<string, string[]>();
  const empty: string[] = [];
  for (const [orgRepo, list] of Object.entries(restricted)) {
    for (const rl of Array.isArray(list) ? list : []) {
      const name = isObj(rl) ? String(rl.label ?? '') : '';
      if (additional.includes(name)) both.set(name, [...(both.get(name) ?? []), orgRepo]);
      if (name === '') empty.push(orgRepo);
    }
  }
  const file = ctx.pluginFile ?? '';
  const out: ConfigError[] = [];
  for (const [name, repos] of both) {
    const message = `the following orgs or repos have configuration of label plugin using the restricted label ${name} which is also configured as an additional label: ${repos.sort().join(', ')}`;
    out.push(at(file, ['label', 'restricted_labels'], message));
  }
  if (empty.length > 0) {
    const message = `the following orgs or repos have configuration of label plugin using the empty string as label name in restricted labels: ${empty.sort().join(', ')}`;
    out.push(at(file, ['label', 'restricted_labels'], message));
  }
  return out;
}

function repoNameError(repo: string): string | undefined {
  if (repo === '') return 'org/repo cannot be empty';
  const s = repo.split('/');
  if (s.length > 2) return "org/repo contains too many slashes '/'";
  if (s[0] === '') return 'you cannot set a repo without an org';
  return undefined;
}

/** validateConfigUpdaterACLs: allowed_repos and denied_repos entries are `org` or `org/repo`. */
export function validateConfigUpdaterACLs(ctx: CheckContext): ConfigError[] {
  const cu = isObj(ctx.config.plugins.config_updater) ? ctx.config.plugins.config_updater : {};
  const maps = isObj(cu.maps) ? cu.maps : {};
  const out: ConfigError[] = [];
  for (const [pattern, cm] of Object.entries(maps)) {
    for (const key of ['allowed_repos', 'denied_repos'] as const) {
      const list = isObj(cm) && Array.isArray(cm[key]) ? (cm[key] as unknown[]) : [];
      list.forEach((entry, i) => {
        const e = repoNameError(String(entry ?? ''));
        if (e) {
          const message = `config_updater.maps[${JSON.stringify(pattern)}].${key}: ${e}`;
          out.push(at(ctx.pluginFile ?? '', ['config_updater', 'maps', pattern, key, i], message));
        }
      });
    }
  }
  return out;
}
