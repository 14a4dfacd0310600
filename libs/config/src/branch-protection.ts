// config.yaml `branch-protection:` as Prow resolves it (pkg/config/branch_protection.go): a
// policy at the global, org, repo and branch levels, each applied over its parent, and the
// contexts Prow requires of a branch from its presubmits (BranchRequirements). checkconfig's tide
// warnings read these; branchprotector (not part of jetprow) applies them.
import {
  contextRequired,
  couldRun,
  needsExplicitTrigger,
  triggersConditionally,
} from './matchers.js';
import type { Presubmit } from './types.js';

type Obj = Record<string, unknown>;

/** A Policy as written (every field optional; unset is "inherit"). */
export interface Policy {
  unmanaged?: boolean;
  protect?: boolean;
  required_status_checks?: { contexts?: string[]; strict?: boolean; [key: string]: unknown };
  require_manually_triggered_jobs?: boolean;
  exclude?: string[];
  include?: string[];
  [key: string]: unknown;
}

const POLICY_BOOLS = [
  'unmanaged',
  'protect',
  'enforce_admins',
  'require_manually_triggered_jobs',
  'required_linear_history',
  'allow_force_pushes',
  'allow_deletions',
  'require_signed_commits',
] as const;
const POLICY_OBJECTS = ['restrictions', 'required_pull_request_reviews'] as const;
const POLICY_KEYS: readonly string[] = [
  ...POLICY_BOOLS,
  ...POLICY_OBJECTS,
  'required_status_checks',
  'exclude',
  'include',
];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const union = (a: string[] | undefined, b: string[] | undefined) => {
  if (a === undefined && b === undefined) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])].sort();
};

/** The policy part of a level's mapping (its other keys are orgs/repos/branches/options). */
export function policyOf(level: unknown): Policy {
  if (!isObj(level)) return {};
  const p: Obj = {};
  for (const k of POLICY_KEYS) if (level[k] !== undefined && level[k] !== null) p[k] = level[k];
  return p as Policy;
}

/** Policy.Apply: the child's settings over the parent's; context and branch lists are merged. */
export function applyPolicy(parent: Policy, child: Policy): Policy {
  const out: Obj = {};
  for (const k of POLICY_BOOLS) {
    const v = child[k] ?? parent[k];
    if (v !== undefined) out[k] = v;
  }
  for (const k of POLICY_OBJECTS) {
    const v =
      isObj(child[k]) && isObj(parent[k]) ? { ...parent[k], ...child[k] } : (child[k] ?? parent[k]);
    if (v !== undefined) out[k] = v;
  }
  const a = parent.required_status_checks;
  const b = child.required_status_checks;
  if (a !== undefined || b !== undefined) {
    const contexts = union(a?.contexts, b?.contexts);
    const strict = b?.strict ?? a?.strict;
    out.required_status_checks = {
      ...(contexts !== undefined && { contexts }),
      ...(strict !== undefined && { strict }),
    };
  }
  const exclude = union(parent.exclude, child.exclude);
  const include = union(parent.include, child.include);
  if (exclude !== undefined) out.exclude = exclude;
  if (include !== undefined) out.include = include;
  return out as Policy;
}

/** Policy.defined: any setting other than unmanaged, exclude and include. */
export function policyDefined(p: Policy): boolean {
  return [
    ...POLICY_BOOLS.filter((k) => k !== 'unmanaged'),
    ...POLICY_OBJECTS,
    'required_status_checks',
  ].some((k) => p[k] !== undefined);
}

/** Policy.Managed: `unmanaged: false` set explicitly. */
export const policyManaged = (p: Policy): boolean => p.unmanaged === false;

export interface BranchProtectionTree {
  policy: Policy;
  orgs: Record<
    string,
    { policy: Policy; repos: Record<string, { policy: Policy; branches: Record<string, Policy> }> }
  >;
  allow_disabled_policies: boolean;
  allow_disabled_job_policies: boolean;
  protect_tested_repos: boolean;
  protect_repos_with_optional_jobs: boolean;
}

/** `branch-protection:` as a tree of policies. */
export function branchProtectionTree(raw: unknown): BranchProtectionTree {
  const bp = isObj(raw) ? raw : {};
  const orgs: BranchProtectionTree['orgs'] = {};
  for (const [org, o] of Object.entries(isObj(bp.orgs) ? bp.orgs : {})) {
    const repos: BranchProtectionTree['orgs'][string]['repos'] = {};
    const ro = isObj(o) ? o : {};
    for (const [repo, r] of Object.entries(isObj(ro.repos) ? ro.repos : {})) {
      const rr = isObj(r) ? r : {};
      const branches: Record<string, Policy> = {};
      for (const [b, p] of Object.entries(isObj(rr.branches) ? rr.branches : {}))
        branches[b] = policyOf(p);
      repos[repo] = { policy: policyOf(rr), branches };
    }
    orgs[org] = { policy: policyOf(ro), repos };
  }
  return {
    policy: policyOf(bp),
    orgs,
    allow_disabled_policies: bp.allow_disabled_policies === true,
    allow_disabled_job_policies: bp.allow_disabled_job_policies === true,
    protect_tested_repos: bp['protect-tested-repos'] === true,
    protect_repos_with_optional_jobs: bp.protect_repos_with_optional_jobs === true,
  };
}

/** GetOrg(name).Policy: the org's policy over the global one. */
export function orgPolicy(bp: BranchProtectionTree, org: string): Policy {
  const o = bp.orgs[org];
  return o ? applyPolicy(bp.policy, o.policy) : bp.policy;
}

/** GetOrg(org).GetRepo(repo).Policy. */
export function repoPolicy(bp: BranchProtectionTree, org: string, repo: string): Policy {
  const op = orgPolicy(bp, org);
  const r = bp.orgs[org]?.repos[repo];
  return r ? applyPolicy(op, r.policy) : op;
}

/** GetOrg(org).GetRepo(repo).GetBranch(branch).Policy, or Prow's error. */
export function branchPolicy(
  bp: BranchProtectionTree,
  org: string,
  repo: string,
  branch: string,
): Policy | { error: string } {
  const rp = repoPolicy(bp, org, repo);
  const b = bp.orgs[org]?.repos[repo]?.branches[branch];
  if (b === undefined) return rp;
  const p = applyPolicy(rp, b);
  if (p.protect === undefined && p.unmanaged !== true) {
    return { error: 'defined branch policies must set protect or unmanaged=true' };
  }
  return p;
}

/** BranchRequirements: the contexts of a branch that are required, required if present, optional. */
export function branchRequirements(
  branch: string,
  jobs: readonly Presubmit[],
  requireManuallyTriggeredJobs: boolean | undefined,
): { required: string[]; requiredIfPresent: string[]; optional: string[] } {
  const required: string[] = [];
  const requiredIfPresent: string[] = [];
  const optional: string[] = [];
  for (const j of jobs) {
    if (!couldRun(j, branch)) continue;
    if (!contextRequired(j)) optional.push(j.context);
    else if (requireManuallyTriggeredJobs && needsExplicitTrigger(j)) required.push(j.context);
    else if (triggersConditionally(j)) requiredIfPresent.push(j.context);
    else required.push(j.context);
  }
  return { required, requiredIfPresent, optional };
}

/** GetBranchProtection: the branch's policy with Prow's required contexts, null when unmanaged. */
export function getBranchProtection(
  bp: BranchProtectionTree,
  org: string,
  repo: string,
  branch: string,
  presubmits: readonly Presubmit[],
): Policy | null | { error: string } {
  if (!(org in bp.orgs)) return null;
  const b = branchPolicy(bp, org, repo, branch);
  if ('error' in b && typeof b.error === 'string') return { error: b.error };
  let policy = b as Policy;
  const req = branchRequirements(branch, presubmits, policy.require_manually_triggered_jobs);
  const manage =
    req.required.length > 0 ||
    (bp.protect_repos_with_optional_jobs &&
      (req.requiredIfPresent.length > 0 || req.optional.length > 0));
  if (manage) {
    if (policy.protect === false) {
      if (bp.allow_disabled_job_policies) return null;
      return { error: 'required prow jobs require branch protection' };
    }
    const ps: Policy = { required_status_checks: { contexts: req.required } };
    if (bp.protect_tested_repos) ps.protect = true;
    policy = applyPolicy(policy, ps);
  }
  if (policy.protect === false) {
    const { protect: _old, ...rest } = policy;
    if (policyDefined(rest) && !bp.allow_disabled_policies) {
      return { error: `${org}/${repo}=${branch} defines a policy, which requires protect: true` };
    }
  }
  return policyDefined(policy) ? policy : null;
}
