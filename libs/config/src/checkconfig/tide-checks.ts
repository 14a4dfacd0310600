// checkconfig's tide warnings (cmd/checkconfig/main.go): mismatched-tide(-lenient) (the labels
// tide requires or forbids against the plugins that set them), tide-strict-branch,
// tide-context-policy and needs-ok-to-test.
import {
  branchPolicy,
  branchProtectionTree,
  branchRequirements,
  getBranchProtection,
  orgPolicy,
  repoPolicy,
  type Policy,
} from '../branch-protection.js';
import type { ConfigError } from '../errors.js';
import { compileGoRegexp, regexpError } from '../matchers.js';
import type { TideQuery } from '../tide-config.js';
import { at, type CheckContext } from './context.js';
import { OrgRepoSet, pluginSet, tideQueriesSet } from './org-repo-set.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const goList = (items: string[]) => `[${items.join(' ')}]`;

interface LabelRule {
  plugin: string;
  label: string;
  verb: 'require' | 'forbid';
  external?: boolean;
}

const REQUIRED_RULES: LabelRule[] = [
  { plugin: 'lgtm', label: 'lgtm', verb: 'require' },
  { plugin: 'approve', label: 'approved', verb: 'require' },
];
const FORBIDDEN_RULES: LabelRule[] = [
  { plugin: 'hold', label: 'do-not-merge/hold', verb: 'forbid' },
  { plugin: 'wip', label: 'do-not-merge/work-in-progress', verb: 'forbid' },
  { plugin: 'bugzilla', label: 'bugzilla/invalid-bug', verb: 'forbid' },
  { plugin: 'verify-owners', label: 'do-not-merge/invalid-owners-file', verb: 'forbid' },
  { plugin: 'release-note', label: 'do-not-merge/release-note-label-needed', verb: 'forbid' },
  {
    plugin: 'cherry-pick-unapproved',
    label: 'do-not-merge/cherry-pick-not-approved',
    verb: 'forbid',
  },
  { plugin: 'blockade', label: 'do-not-merge/blocked-paths', verb: 'forbid' },
];
const NEEDS_REBASE: LabelRule = {
  plugin: 'needs-rebase',
  label: 'needs-rebase',
  verb: 'forbid',
  external: true,
};

function honours(rule: LabelRule, q: TideQuery): boolean {
  return (rule.verb === 'require' ? q.labels : q.missingLabels)?.includes(rule.label) ?? false;
}

function labelPluginEnabled(
  rule: LabelRule,
  tideSub: OrgRepoSet,
  pluginsSub: OrgRepoSet,
): string | undefined {
  const notEnabled = tideSub.difference(pluginsSub).items();
  if (notEnabled.length === 0) return undefined;
  return `the following orgs or repos ${rule.verb} the ${rule.label} label for merging but do not enable the ${rule.plugin} plugin: ${goList(notEnabled)}`;
}

/**
 * validateTideRequirements: wherever tide requires lgtm/approved the plugin is enabled, and
 * wherever the plugin is enabled in a tide repo tide requires its label; with `strict`
 * (mismatched-tide), the same for the labels tide should forbid, and needs-rebase one way.
 */
export function mismatchedTide(ctx: CheckContext, strict: boolean): ConfigError[] {
  const { prow, plugins } = ctx.config;
  const queries = prow.tide.queries;
  const file = ctx.pluginFile ?? ctx.configFile;
  const out: ConfigError[] = [];
  const overall = tideQueriesSet(queries);
  const rules = strict ? [...REQUIRED_RULES, ...FORBIDDEN_RULES] : REQUIRED_RULES;
  for (const rule of rules) {
    const tideSub = tideQueriesSet(queries.filter((q) => honours(rule, q)));
    const pluginsSub = pluginSet(plugins, rule.plugin);
    const e = labelPluginEnabled(rule, tideSub, pluginsSub);
    if (e) out.push(at(file, [], e));
    const notRequired = pluginsSub.intersection(overall).difference(tideSub).items();
    if (notRequired.length > 0) {
      const message = `the following orgs or repos enable the ${rule.plugin} plugin but do not ${rule.verb} the ${rule.label} label for merging: ${goList(notRequired)}`;
      out.push(at(file, [], message));
    }
  }
  if (strict) {
    const tideSub = tideQueriesSet(queries.filter((q) => honours(NEEDS_REBASE, q)));
    const e = labelPluginEnabled(
      NEEDS_REBASE,
      tideSub,
      pluginSet(plugins, NEEDS_REBASE.plugin, true),
    );
    if (e) out.push(at(file, [], e));
  }
  return out;
}

/** validateNeedsOkToTestLabel (Prow's text has no space after the position). */
export function needsOkToTest(ctx: CheckContext): ConfigError[] {
  const out: ConfigError[] = [];
  ctx.config.prow.tide.queries.forEach((q, i) => {
    if (!q.labels?.includes('lgtm')) return;
    for (const l of q.missingLabels ?? []) {
      if (l !== 'needs-ok-to-test') continue;
      const message = `the tide query at position ${i}forbids the "needs-ok-to-test" label and requires the "lgtm" label, which is not recommended; see https://docs.prow.k8s.io/docs/components/core/tide/maintainers/#best-practices for more information`;
      out.push(at(ctx.configFile, ['tide', 'queries', i], message));
    }
  });
  return out;
}

const strictPolicy = (p: Policy) => p.protect === true && p.required_status_checks?.strict === true;

/** validateStrictBranches: no strict required status checks where tide merges. */
export function tideStrictBranch(ctx: CheckContext): ConfigError[] {
  const { prow } = ctx.config;
  const explanation =
    'See #5: https://docs.prow.k8s.io/docs/components/core/tide/maintainers/#best-practices Also note that this validation is imperfect, see the check-config code for details';
  if (prow.tide.queries.length === 0) return [];
  const bp = branchProtectionTree(prow['branch-protection']);
  if (strictPolicy(bp.policy)) {
    const message = `strict branchprotection context requirements cannot be globally enabled when Tide is configured for use. ${explanation}`;
    return [at(ctx.configFile, ['branch-protection'], message)];
  }
  const strictOrgs = new Map<string, Set<string>>();
  const strictRepos = new Set<string>();
  for (const [orgName, org] of Object.entries(bp.orgs)) {
    const strictExplicit = new Set<string>();
    const nonStrictExplicit = new Set<string>();
    for (const repoName of Object.keys(org.repos)) {
      let strict = strictPolicy(repoPolicy(bp, orgName, repoName));
      if (!strict) {
        for (const branchName of Object.keys(org.repos[repoName]?.branches ?? {})) {
          const b = branchPolicy(bp, orgName, repoName, branchName);
          if ('error' in b && typeof b.error === 'string') {
            const message = `error for repo=${orgName}/${repoName} and branch=${branchName}: ${b.error}`;
            return [
              at(
                ctx.configFile,
                ['branch-protection', 'orgs', orgName, 'repos', repoName, 'branches', branchName],
                message,
              ),
            ];
          }
          if (strictPolicy(b as Policy)) {
            strict = true;
            break;
          }
        }
      }
      (strict ? strictExplicit : nonStrictExplicit).add(`${orgName}/${repoName}`);
    }
    if (strictPolicy(orgPolicy(bp, orgName))) strictOrgs.set(orgName, nonStrictExplicit);
    else for (const r of strictExplicit) strictRepos.add(r);
  }
  const conflicts = tideQueriesSet(prow.tide.queries)
    .intersection(new OrgRepoSet(strictOrgs, strictRepos))
    .items();
  if (conflicts.length === 0) return [];
  const message = `the following enable strict branchprotection context requirements even though Tide handles merges: [${conflicts.join('; ')}]. ${explanation}`;
  return [at(ctx.configFile, ['branch-protection'], message)];
}

interface ContextPolicyOptions {
  'skip-unknown-contexts'?: boolean;
  'required-contexts'?: string[];
  'required-if-present-contexts'?: string[];
  'optional-contexts'?: string[];
  'optional-regex-contexts'?: string[];
  'from-branch-protection'?: boolean;
}

function mergeContextOptions(a: ContextPolicyOptions, b: unknown): ContextPolicyOptions {
  const o = (isObj(b) ? b : {}) as ContextPolicyOptions;
  const u = (k: keyof ContextPolicyOptions) =>
    [
      ...new Set([
        ...((a[k] as string[] | undefined) ?? []),
        ...((o[k] as string[] | undefined) ?? []),
      ]),
    ].sort();
  return {
    'from-branch-protection': o['from-branch-protection'] ?? a['from-branch-protection'],
    'required-contexts': u('required-contexts'),
    'required-if-present-contexts': u('required-if-present-contexts'),
    'optional-contexts': u('optional-contexts'),
    'optional-regex-contexts': u('optional-regex-contexts'),
  };
}

/** TideContextPolicy.Validate. */
function contextPolicyError(
  required: string[],
  requiredIfPresent: string[],
  optional: string[],
  regexes: string[],
): string | undefined {
  const inter = (a: string[], b: string[]) => [...new Set(a.filter((x) => b.includes(x)))].sort();
  let i = inter(required, optional);
  if (i.length) return `contexts ${i.join(', ')} are defined as required and optional`;
  i = inter(required, requiredIfPresent);
  if (i.length) return `contexts ${i.join(', ')} are defined as required and required if present`;
  i = inter(optional, requiredIfPresent);
  if (i.length) return `contexts ${i.join(', ')} are defined as optional and required if present`;
  for (const re of regexes) {
    const e = regexpError(re);
    if (e) return `optional context regex ${JSON.stringify(re)} doesn't compile: ${e}`;
    const r = compileGoRegexp(re);
    for (const c of required)
      if (r.test(c))
        return `optional context regex ${JSON.stringify(re)} matches required context ${c}`;
    for (const c of requiredIfPresent) {
      if (r.test(c))
        return `optional context regex ${JSON.stringify(re)} matches required if present context ${c}`;
    }
  }
  return undefined;
}

/** validateTideContextPolicy: the context policy of every branch the config names is valid. */
export function tideContextPolicy(ctx: CheckContext): ConfigError[] {
  const { prow, jobs } = ctx.config;
  const bp = branchProtectionTree(prow['branch-protection']);
  const known = new Map<string, Set<string>>();
  const add = (orgRepo: string, branches: Iterable<string>) => {
    const s = known.get(orgRepo) ?? new Set<string>();
    for (const b of branches) s.add(b);
    known.set(orgRepo, s);
  };
  for (const [orgRepo, list] of Object.entries(jobs.presubmits))
    add(
      orgRepo,
      list.flatMap((j) => j.branches ?? []),
    );
  for (const [org, o] of Object.entries(bp.orgs)) {
    for (const [repo, r] of Object.entries(o.repos)) add(`${org}/${repo}`, Object.keys(r.branches));
  }
  const co = (isObj(prow.tide.context_options) ? prow.tide.context_options : {}) as Obj;
  const orgsOpt = isObj(co.orgs) ? co.orgs : {};
  for (const [org, o] of Object.entries(orgsOpt)) {
    const repos = isObj(o) && isObj(o.repos) ? o.repos : {};
    for (const [repo, r] of Object.entries(repos))
      add(`${org}/${repo}`, Object.keys(isObj(r) && isObj(r.branches) ? r.branches : {}));
  }
  const out: ConfigError[] = [];
  for (const [orgRepo, branches] of known) {
    const split = orgRepo.split('/');
    if (split.length !== 2) continue;
    const [org, repo] = split as [string, string];
    if (branches.size === 0) branches.add('master');
    const presubmits = jobs.presubmits[orgRepo] ?? [];
    for (const branch of [...branches].sort()) {
      let options = mergeContextOptions({}, co);
      const oo = orgsOpt[org];
      if (isObj(oo)) {
        options = mergeContextOptions(options, oo);
        const ro = isObj(oo.repos) ? oo.repos[repo] : undefined;
        if (isObj(ro)) {
          options = mergeContextOptions(options, ro);
          const bo = isObj(ro.branches) ? ro.branches[branch] : undefined;
          if (isObj(bo)) options = mergeContextOptions(options, bo);
        }
      }
      const required = new Set(options['required-contexts']);
      const requiredIfPresent = new Set(options['required-if-present-contexts']);
      const optional = new Set(options['optional-contexts']);
      let manual: boolean | undefined;
      if (options['from-branch-protection']) {
        const p = getBranchProtection(bp, org, repo, branch, presubmits);
        if (p !== null && !('error' in p && typeof p.error === 'string')) {
          const policy = p as Policy;
          manual = policy.require_manually_triggered_jobs;
          if (policy.protect === true)
            for (const c of policy.required_status_checks?.contexts ?? []) required.add(c);
        }
      }
      const req = branchRequirements(branch, presubmits, manual);
      req.required.forEach((c) => required.add(c));
      req.requiredIfPresent.forEach((c) => requiredIfPresent.add(c));
      req.optional.forEach((c) => optional.add(c));
      const e = contextPolicyError(
        [...required],
        [...requiredIfPresent],
        [...optional],
        options['optional-regex-contexts'] ?? [],
      );
      if (e) {
        const file = presubmits[0]?.source_path ?? ctx.configFile;
        out.push(
          at(file, [], `context policy for ${branch} branch in ${org}/${repo} is invalid: ${e}`),
        );
      }
    }
  }
  return out;
}
