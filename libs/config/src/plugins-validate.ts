// plugins.yaml rules beyond plugins/triggers/external_plugins (Prow's compileRegexpsAndDurations
// and Configuration.Validate, pkg/plugins/config.go), over the defaults of plugins-defaults.ts:
// blunderbuss/rifle request counts, config_updater, size thresholds, require_matching_label,
// project_manager, approve/welcome/invalid_commit_msg repo duplicates, invalid_commit_msg checks
// and every plugin regex and grace period; and checkconfig's unknown plugins
// (ValidatePluginsUnknown).
import { checkDuration } from '@jetprow/core';
import { compileGoRegexp, regexpError } from './matchers.js';
import { KNOWN_PLUGINS } from './plugins-defaults.js';
import { isObject, type Path, type Report } from './section-util.js';

type Obj = Record<string, unknown>;
const q = JSON.stringify;
const obj = (v: unknown): Obj => (isObject(v) ? v : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => list(v).map((x) => String(x ?? ''));

/** compileRegexpsAndDurations over the defaulted sections. */
function regexpsAndDurations(d: Obj, raw: Obj, report: Report): void {
  const re = (path: Path, pattern: unknown, wrap?: (e: string) => string) => {
    const e = regexpError(String(pattern ?? ''));
    if (e) report(path, wrap ? wrap(e) : e);
  };
  re(['sigmention', 'regexp'], obj(d.sigmention).regexp);
  re(['cherry_pick_unapproved', 'branchregexp'], obj(d.cherry_pick_unapproved).branchregexp);
  list(d.cherry_pick_approved).forEach((e, i) =>
    re(['cherry_pick_approved', i, 'branchregexp'], obj(e).branchregexp),
  );
  list(raw.blockades).forEach((b, i) => {
    const br = obj(b).branchregexp;
    if (br === undefined || br === null) return;
    re(
      ['blockades', i, 'branchregexp'],
      br,
      (e) => `failed to compile blockade branchregexp: ${q(String(br))}, error: ${e}`,
    );
  });
  re(['heart', 'commentregexp'], obj(raw.heart).commentregexp);
  list(d.require_matching_label).forEach((r, i) => {
    const rml = obj(r);
    const pattern = String(rml.regexp ?? '');
    re(
      ['require_matching_label', i, 'regexp'],
      pattern,
      (e) => `failed to compile label regexp: ${q(pattern)}, error: ${e}`,
    );
    const grace = String(rml.grace_period ?? '');
    const dur = checkDuration(grace);
    if ('error' in dur) {
      const message = `failed to compile grace period duration: ${q(grace)}, error: ${dur.error}`;
      report(['require_matching_label', i, 'grace_period'], message);
    }
  });
  for (const key of ['blunderbuss', 'rifle'] as const) {
    const w = obj(d[key]).wait_for_status;
    if (!isObject(w)) continue;
    const desc = String(w.description ?? '');
    re(
      [key, 'wait_for_status', 'description'],
      desc,
      (e) =>
        `failed to compile ${key} wait for context description regular expression: ${q(desc)}, error: ${e}`,
    );
  }
}

/** validateConfigUpdater over the defaulted config_updater. */
function configUpdaterErrors(cu: Obj, report: Report): void {
  const maps = obj(cu.maps);
  const groups = obj(cu.cluster_groups);
  const keys = new Map<string, Set<string>>();
  for (const [file, spec] of Object.entries(maps)) {
    const s = obj(spec);
    const at: Path = ['config_updater', 'maps', file];
    const partitioned = strs(s.partitioned_names);
    if (s.name && partitioned.length > 0) {
      const message =
        "'name' and 'partitioned_names' are mutually exclusive in the config_updater plugin configuration";
      report(at, message);
      continue;
    }
    const name = s.name ? String(s.name) : partitioned.join(',');
    if (partitioned.length > 256) {
      const message = `the PartitionedNames field in config_updater plugin config currently supports a maximum of 256 partitions, but you have ${partitioned.length} defined`;
      report([...at, 'partitioned_names'], message);
      continue;
    }
    for (const [cluster, namespaces] of Object.entries(obj(s.clusters))) {
      for (const ns of strs(namespaces)) {
        const id = `${name}\x00${ns}\x00${cluster}`;
        const key = s.key ? String(s.key) : (file.split('/').pop() ?? file);
        const seen = keys.get(id) ?? new Set<string>();
        if (seen.has(key)) {
          report(at, `key ${key} in configmap ${name} updated with more than one file`);
        }
        seen.add(key);
        keys.set(id, seen);
      }
    }
  }
  for (const [k, spec] of Object.entries(maps)) {
    const s = obj(spec);
    const at: Path = ['config_updater', 'maps', k];
    if (Object.keys(obj(s.clusters)).length > 0 && list(s.cluster_groups).length > 0) {
      report(at, `item maps.${k} contains both clusters and cluster_groups`);
      continue;
    }
    if (Object.keys(obj(s.clusters)).length > 0) continue;
    strs(s.cluster_groups).forEach((g, idx) => {
      if (!(g in groups)) {
        const message = `item maps.${k}.cluster_groups.${idx} references inexistent cluster group named ${g}`;
        report([...at, 'cluster_groups', idx], message);
      }
    });
  }
}

/** RequireMatchingLabel.validate for each entry. */
function requireMatchingLabelErrors(entries: unknown[], report: Report): void {
  entries.forEach((e, i) => {
    const r = obj(e);
    const str = (k: string) => String(r[k] ?? '');
    let problem: string | undefined;
    if (!str('org')) problem = "must specify 'org'";
    else if (str('repo').includes('/'))
      problem = "'repo' may not contain '/'; specify the organization with 'org'";
    else if (!str('regexp')) problem = "must specify 'regexp'";
    else if (!str('missing_label')) problem = "must specify 'missing_label'";
    else if (!str('grace_period')) problem = "must specify 'grace_period'";
    else if (!r.prs && !r.issues) problem = "must specify 'prs: true' and/or 'issues: true'";
    else if (!r.prs && str('branch')) problem = "branch cannot be specified without `prs: true'";
    else if (
      regexpError(str('regexp')) === undefined &&
      compileGoRegexp(str('regexp')).test(str('missing_label'))
    ) {
      problem = "'regexp' must not match 'missing_label'";
    }
    if (problem) {
      report(
        ['require_matching_label', i],
        `error validating require_matching_label config #${i}: ${problem}`,
      );
    }
  });
}

/** validateProjectManager: the first problem, as Prow returns it. */
function projectManagerError(pm: Obj): string | undefined {
  for (const [orgRepo, managed] of Object.entries(obj(pm.orgsRepos))) {
    const projects = obj(obj(managed).projects);
    if (Object.keys(projects).length === 0)
      return `Org/repo: ${orgRepo}, has no projects configured`;
    for (const [project, p] of Object.entries(projects)) {
      const columns = list(obj(p).columns);
      if (columns.length === 0)
        return `Org/repo: ${orgRepo}, project ${project}, has no columns configured`;
      const labelSets: string[] = [];
      for (const col of columns) {
        const c = obj(col);
        const name = String(c.name ?? '');
        if ((c.id === undefined || c.id === null) && name === '') {
          return `Org/repo: ${orgRepo}, project ${project}, column {<nil> ${name} ${String(c.state ?? '')} [${strs(c.labels).join(' ')}] ${String(c.org ?? '')}}, has no name/id configured`;
        }
        if (strs(c.labels).length === 0)
          return `Org/repo: ${orgRepo}, project ${project}, column ${name}, has no labels configured`;
        if (!c.org)
          return `Org/repo: ${orgRepo}, project ${project}, column ${name}, has no org configured`;
        const set = [...new Set(strs(c.labels))].sort().join('\x00');
        if (labelSets.includes(set)) {
          return `Org/repo: ${orgRepo}, project ${project}, column ${name} has same labels configured as another column`;
        }
        labelSets.push(set);
      }
    }
  }
  return undefined;
}

/** validateRepoDupes (Prow's message names 'welcome' whichever section it checks). */
function repoDupes(section: string, entries: unknown[], report: Report): void {
  const orgs = new Set<string>();
  const repos = new Set<string>();
  entries.forEach((e, i) => {
    for (const entry of strs(obj(e).repos)) {
      const isRepo = entry.includes('/');
      const seen = isRepo ? repos : orgs;
      if (seen.has(entry)) {
        const what = isRepo ? 'repo' : 'org';
        report(
          [section, i, 'repos'],
          `The ${what} ${q(entry)} is duplicated in the 'welcome' plugin configuration.`,
        );
      }
      seen.add(entry);
    }
  });
}

const INVALID_COMMIT_MSG_CHECKS = ['fixupPrefix', 'issueClosingKeywords'];

function invalidCommitMsgErrors(entries: unknown[], report: Report): void {
  entries.forEach((e, i) => {
    const c = obj(e);
    for (const repo of strs(c.repos)) {
      if (repo.trim() === '') {
        report(
          ['invalid_commit_msg', i, 'repos'],
          `error validating invalid_commit_msg config #${i}: repo ${q(repo)} must be of form org or org/repo`,
        );
      }
    }
    list(c.checks).forEach((check, j) => {
      const name = String(obj(check).name ?? '');
      const at: Path = ['invalid_commit_msg', i, 'checks', j];
      const prefix = `error validating invalid_commit_msg config #${i} check #${j}: `;
      if (name.trim() === '') report(at, `${prefix}check name cannot be empty`);
      else if (!INVALID_COMMIT_MSG_CHECKS.includes(name)) {
        report(
          at,
          `${prefix}unknown check name ${q(name)} (valid: [${INVALID_COMMIT_MSG_CHECKS.join(' ')}])`,
        );
      }
    });
  });
}

/**
 * The rules of Configuration.Validate not in plugins-config.ts, over the raw sections (`raw`)
 * and their defaults (`d`, from pluginDefaults). `warn` gets the deprecations Prow logs.
 */
export function validatePluginSections(raw: Obj, d: Obj, report: Report, warn: Report): void {
  regexpsAndDurations(d, raw, report);
  for (const key of ['blunderbuss', 'rifle']) {
    const count = obj(d[key]).request_count;
    if (typeof count === 'number' && count < 1) {
      report([key, 'request_count'], `invalid request_count: ${count} (needs to be positive)`);
    }
  }
  configUpdaterErrors(obj(d.config_updater), report);
  const size = obj(raw.size);
  const n = (k: string) => (typeof size[k] === 'number' ? (size[k] as number) : 0);
  if (n('s') > n('m') || n('m') > n('l') || n('l') > n('xl') || n('xl') > n('xxl')) {
    const message =
      'invalid size plugin configuration - one of the smaller sizes is bigger than a larger one';
    report(['size'], message);
  }
  requireMatchingLabelErrors(list(d.require_matching_label), report);
  const pm = projectManagerError(obj(raw.project_manager));
  if (pm) report(['project_manager'], pm);
  repoDupes('approve', list(raw.approve), report);
  repoDupes('welcome', list(raw.welcome), report);
  invalidCommitMsgErrors(list(raw.invalid_commit_msg), report);
  repoDupes('invalid_commit_msg', list(raw.invalid_commit_msg), report);
  for (const [repo, m] of Object.entries(obj(raw.repo_milestone))) {
    if (obj(m).maintainers_id) {
      const message =
        'deprecated field: maintainers_id is configured for repo_milestone, maintainers_team should be used instead';
      warn(['repo_milestone', repo, 'maintainers_id'], message);
    }
  }
}

/** ValidatePluginsUnknown: every enabled plugin is one of Prow's. */
export function unknownPluginErrors(
  plugins: Record<string, { plugins: string[] }>,
  report: Report,
): void {
  for (const [key, cfg] of Object.entries(plugins)) {
    cfg.plugins.forEach((p, i) => {
      if (!KNOWN_PLUGINS.includes(p))
        report(['plugins', key, 'plugins', i], `unknown plugin: ${p}`);
    });
  }
}
