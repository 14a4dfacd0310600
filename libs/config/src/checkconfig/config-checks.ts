// checkconfig's config.yaml warnings (cmd/checkconfig/main.go): managed-webhooks, validate-urls,
// validate-unmanaged-branchconfig-has-no-subconfig, unknown-fields(-all), and the check Prow
// always runs: every presubmit's rerun command is a comment gerrit may trigger on.
import { ConfigError } from '../errors.js';
import { goUrlParseError } from '../go-url.js';
import { unknownFields, type RootType } from '../known-fields/unknown-fields.js';
import { compileGoRegexp } from '../matchers.js';
import { policyManaged, policyOf, type Policy } from '../branch-protection.js';
import { formatPath } from '../schema-decode.js';
import { locate, readYaml } from '../yaml-file.js';
import { allPresubmits, at, type CheckContext } from './context.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** validateManagedWebhooks: an org and one of its repos are not both configured. */
export function managedWebhooks(ctx: CheckContext): ConfigError[] {
  const mw = ctx.config.prow.managed_webhooks;
  const repos = isObj(mw) && isObj(mw.org_repo_config) ? Object.keys(mw.org_repo_config) : [];
  const orgs = new Set(repos.filter((r) => !r.includes('/')));
  return repos
    .filter((r) => r.includes('/') && orgs.has(r.split('/')[0] as string))
    .map((r) =>
      at(
        ctx.configFile,
        ['managed_webhooks', 'org_repo_config', r],
        `org-level and repo-level webhooks are configured together for ${JSON.stringify(r)}, which is not allowed as there will be duplicated webhook events`,
      ),
    );
}

/** validateURLs: status_error_link parses as a URL. */
export function validateURLs(ctx: CheckContext): ConfigError[] {
  const link = ctx.config.prow.status_error_link;
  if (goUrlParseError(link) === undefined) return [];
  return [
    at(ctx.configFile, ['status_error_link'], `status_error_link is not a valid url: ${link}`),
  ];
}

const hasSettings = (p: Policy) => Object.keys(p).some((k) => k !== 'unmanaged');

/** validateUnmanagedBranchprotectionConfigDoesntHaveSubconfig. */
export function unmanagedBranchConfig(ctx: CheckContext): ConfigError[] {
  const raw = ctx.config.prow['branch-protection'];
  const bp = isObj(raw) ? raw : {};
  const orgs = isObj(bp.orgs) ? bp.orgs : {};
  const obj = (v: unknown): Obj => (isObj(v) ? v : {});
  const reposOf = (o: unknown) => obj(obj(o).repos);
  const branchesOf = (r: unknown) => obj(obj(r).branches);
  const repoHasManagedBranches = (r: unknown) =>
    Object.values(branchesOf(r)).some((b) => policyManaged(policyOf(b)));
  const orgHasManagedRepos = (o: unknown) =>
    Object.values(reposOf(o)).some((r) => policyManaged(policyOf(r)));
  const orgHasManagedBranches = (o: unknown) =>
    Object.values(reposOf(o)).some(repoHasManagedBranches);
  const f = (path: (string | number)[], message: string) =>
    at(ctx.configFile, ['branch-protection', ...path], message);
  const out: ConfigError[] = [];
  const global = policyOf(bp);
  if (global.unmanaged === true) {
    const managedOrgs = Object.values(orgs).some((o) => policyManaged(policyOf(o)));
    const managedRepos = Object.values(orgs).some(orgHasManagedRepos);
    const managedBranches = Object.values(orgs).some(orgHasManagedBranches);
    if (hasSettings(global) && !managedOrgs && !managedRepos && !managedBranches) {
      out.push(f([], 'branch protection is globally set to unmanaged, but has configuration'));
    }
    for (const [orgName, org] of Object.entries(orgs)) {
      if (orgHasManagedRepos(org)) continue;
      out.push(
        f(
          ['orgs', orgName],
          `branch protection config is globally set to unmanaged but has configuration for org ${orgName} without setting the org to unmanaged: false`,
        ),
      );
    }
  }
  for (const [orgName, org] of Object.entries(orgs)) {
    const op = policyOf(org);
    if (op.unmanaged === true) {
      if (hasSettings(op) && !orgHasManagedRepos(org) && !orgHasManagedBranches(org)) {
        out.push(
          f(
            ['orgs', orgName],
            `branch protection config for org ${orgName} is set to unmanaged, but it defines settings`,
          ),
        );
      }
      for (const [repoName, repo] of Object.entries(reposOf(org))) {
        if (repoHasManagedBranches(repo)) continue;
        out.push(
          f(
            ['orgs', orgName, 'repos', repoName],
            `branch protection config for repo ${orgName}/${repoName} is defined, but branch protection is unmanaged for org ${orgName} without setting the repo to unmanaged: false`,
          ),
        );
      }
    }
    for (const [repoName, repo] of Object.entries(reposOf(org))) {
      const rp = policyOf(repo);
      const where = ['orgs', orgName, 'repos', repoName];
      if (rp.unmanaged === true) {
        if (hasSettings(rp) && !repoHasManagedBranches(repo)) {
          out.push(
            f(
              where,
              `branch protection config for repo ${orgName}/${repoName} is set to unmanaged, but it defines settings`,
            ),
          );
        }
        for (const [branchName, branch] of Object.entries(branchesOf(repo))) {
          if (policyManaged(policyOf(branch))) continue;
          out.push(
            f(
              [...where, 'branches', branchName],
              `branch protection for repo ${orgName}/${repoName} is set to unmanaged, but it defines settings for branch ${branchName} without setting the branch to unmanaged: false`,
            ),
          );
        }
      }
      for (const [branchName, branch] of Object.entries(branchesOf(repo))) {
        const b = policyOf(branch);
        if (b.unmanaged === true && hasSettings(b)) {
          out.push(
            f(
              [...where, 'branches', branchName],
              `branch protection config for branch ${branchName} in repo ${orgName}/${repoName} is set to unmanaged but defines settings`,
            ),
          );
        }
      }
    }
  }
  return out;
}

/** Always checked: each presubmit's rerun command matches gerrit.allowed_presubmit_trigger_re. */
export function rerunCommands(ctx: CheckContext): ConfigError[] {
  const pattern = ctx.config.prow.gerrit.allowed_presubmit_trigger_re;
  const re = compileGoRegexp(pattern);
  return allPresubmits(ctx.config)
    .filter(({ job }) => !re.test(job.rerun_command))
    .map(
      ({ job }) =>
        new ConfigError({
          file: job.source_path,
          job: job.name,
          field: 'rerun_command',
          message: `rerun command ${job.rerun_command} in job ${job.name} does not conform to test command requirements,please make sure the trigger regex is a subset of ${pattern} and the rerun command matches the trigger regex`,
        }),
    );
}

function jobNameAt(doc: unknown, path: (string | number)[]): string | undefined {
  const d = isObj(doc) ? doc : {};
  const [kind, a, b] = path;
  let job: unknown;
  if (
    (kind === 'presubmits' || kind === 'postsubmits') &&
    typeof a === 'string' &&
    typeof b === 'number'
  ) {
    const byRepo = d[kind];
    job = isObj(byRepo) && Array.isArray(byRepo[a]) ? (byRepo[a] as unknown[])[b] : undefined;
  } else if (kind === 'periodics' && typeof a === 'number') {
    job = Array.isArray(d.periodics) ? (d.periodics as unknown[])[a] : undefined;
  }
  return isObj(job) && typeof job.name === 'string' ? job.name : undefined;
}

/** The unknown fields of one file read as `root`, each located at its key. */
export function unknownFieldsIn(file: string, root: RootType): ConfigError[] {
  const y = readYaml(file);
  if (!y.ok) return [];
  return unknownFields(y.value, root).map((u) => {
    const pos = locate(file, u.path, { key: true });
    const hint =
      u.suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(u.suggestion)}?)`;
    return new ConfigError({
      file,
      job: jobNameAt(y.value, u.path),
      field: formatPath(u.path),
      message: `unknown field ${JSON.stringify(u.key)}${hint}`,
      line: pos?.line,
      column: pos?.column,
    });
  });
}

/** unknown-fields: config.yaml and plugins.yaml; with `all` (unknown-fields-all) every job file too. */
export function unknownFieldChecks(ctx: CheckContext, all: boolean): ConfigError[] {
  const out = ctx.configFile ? unknownFieldsIn(ctx.configFile, 'config') : [];
  if (all) for (const f of ctx.config.files) out.push(...unknownFieldsIn(f, 'jobConfig'));
  if (ctx.pluginFile) out.push(...unknownFieldsIn(ctx.pluginFile, 'plugins'));
  return out;
}
