// config.yaml `tide:` (Prow's Tide, pkg/config/tide.go), defaulted and checked as parseProwConfig
// does: sync and status periods, max_goroutines, target_url(s), pr_status_base_url(s), merge
// methods, merge-commit templates, queries and github_merge_blocks_policy. jetprow runs no tide,
// but a Prow install that keeps its own tide shares this file, so a presubmit must refuse what
// Prow's tide would refuse.
import Type from 'typebox';
import { regexpError } from './matchers.js';
import { makeDecoder } from './schema-decode.js';
import { durationAt, isObject, templateError, type Path, type Report } from './section-util.js';

const Open = { additionalProperties: true } as const;
const OptStr = Type.Optional(Type.String());
const OptStrList = Type.Optional(Type.Array(Type.String()));
const StrMap = Type.Record(Type.String(), Type.String());

export const TideQuery = Type.Object(
  {
    orgs: OptStrList,
    repos: OptStrList,
    excludedRepos: OptStrList,
    author: OptStr,
    labels: OptStrList,
    missingLabels: OptStrList,
    excludedBranches: OptStrList,
    includedBranches: OptStrList,
    milestone: OptStr,
    reviewApprovedRequired: Type.Optional(Type.Boolean()),
  },
  Open,
);
export type TideQuery = Type.Static<typeof TideQuery>;

const RawTide = Type.Object(
  {
    sync_period: OptStr,
    status_update_period: OptStr,
    max_goroutines: Type.Optional(Type.Integer()),
    queries: Type.Optional(Type.Array(TideQuery)),
    target_url: OptStr,
    target_urls: Type.Optional(StrMap),
    pr_status_base_url: OptStr,
    pr_status_base_urls: Type.Optional(StrMap),
    merge_commit_template: Type.Optional(
      Type.Record(Type.String(), Type.Object({ title: OptStr, body: OptStr }, Open)),
    ),
    github_merge_blocks_policy: Type.Optional(StrMap),
    merge_method: Type.Optional(Type.Unknown()),
    batch_size_limit: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    prioritize_existing_batches: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
    gerrit: Type.Optional(Type.Object({ ratelimit: Type.Optional(Type.Integer()) }, Open)),
  },
  Open,
);
export const decodeTide = makeDecoder(RawTide);
export type RawTide = Type.Static<typeof RawTide>;

/** `tide:` after loading: Prow's defaults applied. Other keys are kept as written. */
export interface TideConfig {
  /** Default `1m`. */
  sync_period: string;
  sync_period_ms: number;
  /** Default: sync_period. */
  status_update_period: string;
  status_update_period_ms: number;
  /** Default 20. */
  max_goroutines: number;
  queries: TideQuery[];
  /** `org/repo` | `org` | `*` → URL; the legacy `target_url` becomes `*`. */
  target_urls: Record<string, string>;
  /** `org/repo` | `org` | `*` → URL; the legacy `pr_status_base_url` becomes `*`. */
  pr_status_base_urls: Record<string, string>;
  /** As written: org → method, or org → repo → (method | branch regex → method). */
  merge_method: Record<string, unknown>;
  merge_commit_template: Record<string, { title?: string; body?: string }>;
  github_merge_blocks_policy: Record<string, string>;
  [key: string]: unknown;
}

const MERGE_TYPES = ['merge', 'rebase', 'squash'];
const BLOCK_POLICIES = ['ignore', 'permit', 'block'];

/** parseTideMergeType: each org, repo and branch method is merge, rebase or squash. */
function checkMergeTypes(raw: unknown, at: Path, report: Report): void {
  if (raw === undefined || raw === null) return;
  if (!isObject(raw)) return report(at, 'must be a mapping of org to merge method');
  const bad = (path: Path, message: string) => report(path, `tide merge type: ${message}`);
  const q = JSON.stringify;
  for (const [org, orgValue] of Object.entries(raw)) {
    const orgAt = [...at, org];
    if (typeof orgValue === 'string') {
      if (orgValue !== '' && !MERGE_TYPES.includes(orgValue)) {
        bad(orgAt, `merge type ${q(orgValue)} for ${org} is not a valid type`);
      }
      continue;
    }
    if (!isObject(orgValue)) {
      report(orgAt, 'must be a merge method or a mapping of repo to merge method');
      continue;
    }
    for (const [repo, repoValue] of Object.entries(orgValue)) {
      const repoAt = [...orgAt, repo];
      if (typeof repoValue === 'string') {
        if (repoValue !== '' && !MERGE_TYPES.includes(repoValue)) {
          bad(repoAt, `merge type ${q(repoValue)} for ${org}/${repo} is not a valid type`);
        }
        continue;
      }
      if (!isObject(repoValue)) {
        report(repoAt, 'must be a merge method or a mapping of branch regex to merge method');
        continue;
      }
      for (const [branch, method] of Object.entries(repoValue)) {
        const branchAt = [...repoAt, branch];
        if (regexpError(branch) !== undefined) bad(branchAt, `regex ${q(branch)} is not valid`);
        if (typeof method !== 'string' || !MERGE_TYPES.includes(method)) {
          const m = typeof method === 'string' ? method : String(method);
          bad(branchAt, `merge type ${q(m)} for ${org}/${repo}@${branch} is not a valid type`);
        }
      }
    }
  }
}

/** `"field" contains N duplicate entries: a, b` (TideQuery.Validate's duplicates). */
function duplicates(field: string, list: readonly string[] | undefined): string | undefined {
  const items = list ?? [];
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const e of items) (seen.has(e) ? dups : seen).add(e);
  const count = items.length - seen.size;
  if (count === 0) return undefined;
  return `${JSON.stringify(field)} contains ${count} duplicate entries: ${[...dups].sort().join(', ')}`;
}

const orgRepoForm = (s: string) => {
  const parts = s.split('/');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
};

/** TideQuery.Validate: the first problem of the query, worded as Prow's. */
export function tideQueryError(tq: TideQuery): string | undefined {
  const q = JSON.stringify;
  const orgs = new Set<string>();
  for (const [i, o] of (tq.orgs ?? []).entries()) {
    if (o.includes('/')) return `orgs[${i}]: ${q(o)} contains a '/' which is not valid`;
    if (o === '') return `orgs[${i}]: is an empty string`;
    orgs.add(o);
  }
  const checks: (() => string | undefined)[] = [
    () => duplicates('orgs', tq.orgs),
    () => {
      for (const [i, r] of (tq.repos ?? []).entries()) {
        if (!orgRepoForm(r)) return `repos[${i}]: ${q(r)} is not of the form "org/repo"`;
        const org = r.split('/')[0] as string;
        if (orgs.has(org)) return `repos[${i}]: ${q(r)} is already included via org: ${q(org)}`;
      }
      return undefined;
    },
    () => duplicates('repos', tq.repos),
    () =>
      !tq.orgs?.length && !tq.repos?.length ? "'orgs' and 'repos' cannot both be empty" : undefined,
    () => {
      for (const [i, r] of (tq.excludedRepos ?? []).entries()) {
        if (!orgRepoForm(r)) return `excludedRepos[${i}]: ${q(r)} is not of the form "org/repo"`;
        const org = r.split('/')[0] as string;
        if (!orgs.has(org)) {
          return `excludedRepos[${i}]: ${q(r)} has no effect because org ${q(org)} is not included`;
        }
      }
      return undefined;
    },
    () => duplicates('excludedRepos', tq.excludedRepos),
    () => {
      const both = [...new Set(tq.labels ?? [])]
        .filter((l) => (tq.missingLabels ?? []).includes(l))
        .sort();
      if (both.length === 0) return undefined;
      return `the labels: [${both.map((l) => q(l)).join(' ')}] are both required and forbidden`;
    },
    () => duplicates('labels', tq.labels),
    () => duplicates('missingLabels', tq.missingLabels),
    () =>
      tq.excludedBranches?.length && tq.includedBranches?.length
        ? "both 'includedBranches' and 'excludedBranches' are specified ('excludedBranches' have no effect)"
        : undefined,
    () => duplicates('includedBranches', tq.includedBranches),
    () => duplicates('excludedBranches', tq.excludedBranches),
  ];
  for (const check of checks) {
    const e = check();
    if (e) return e;
  }
  return undefined;
}

/** Defaults and checks `tide:` (already decoded). Warnings are deprecations Prow logs. */
export function tideConfig(t: RawTide, report: Report, warn: Report): TideConfig {
  const at = (...p: Path): Path => ['tide', ...p];
  const sync = durationAt(report, at('sync_period'), t.sync_period, '1m');
  const status = durationAt(report, at('status_update_period'), t.status_update_period, sync.text);
  const maxGoroutines = t.max_goroutines || 20;
  if (maxGoroutines <= 0) {
    const message = `tide has invalid max_goroutines (${maxGoroutines}), it needs to be a positive number`;
    report(at('max_goroutines'), message);
  }

  const targetURLs = { ...t.target_urls };
  if (Object.keys(targetURLs).length > 0 && t.target_url) {
    report(at('target_url'), 'tide.target_url and tide.target_urls are mutually exclusive');
  } else if (t.target_url) targetURLs['*'] = t.target_url;

  const prStatus = { ...t.pr_status_base_urls };
  if (t.pr_status_base_url) {
    if (Object.keys(prStatus).length > 0) {
      report(
        at('pr_status_base_url'),
        'both pr_status_base_url and pr_status_base_urls are defined',
      );
    } else {
      const message =
        'The `pr_status_base_url` setting is deprecated and it has been replaced by `pr_status_base_urls`. It will be removed in June 2020';
      warn(at('pr_status_base_url'), message);
      prStatus['*'] = t.pr_status_base_url;
    }
  }
  if (Object.keys(prStatus).length > 0 && !('*' in prStatus)) {
    const message = "pr_status_base_urls is defined but the default value ('*') is missing";
    report(at('pr_status_base_urls'), message);
  }

  checkMergeTypes(t.merge_method, at('merge_method'), report);

  for (const [name, tmpl] of Object.entries(t.merge_commit_template ?? {})) {
    const parts = [
      ['title', tmpl.title, 'CommitTitle', 'commit title'],
      ['body', tmpl.body, 'CommitBody', 'commit body'],
    ] as const;
    for (const [key, src, tmplName, what] of parts) {
      if (!src) continue;
      const e = templateError(src, tmplName);
      if (e) report(at('merge_commit_template', name, key), `parsing template for ${what}: ${e}`);
    }
  }

  const queries = t.queries ?? [];
  queries.forEach((tq, i) => {
    const e = tideQueryError(tq);
    if (e) report(at('queries', i), `tide query (index ${i}) is invalid: ${e}`);
  });

  const policies = t.github_merge_blocks_policy ?? {};
  for (const [key, policy] of Object.entries(policies)) {
    if (!BLOCK_POLICIES.includes(policy)) {
      const q = JSON.stringify;
      const message = `tide.github_merge_blocks_policy[${q(key)}] has invalid value ${q(policy)}, must be one of: ignore, permit, block`;
      report(at('github_merge_blocks_policy', key), message);
    }
  }

  const out: TideConfig = {
    ...t,
    sync_period: sync.text,
    sync_period_ms: sync.ms,
    status_update_period: status.text,
    status_update_period_ms: status.ms,
    max_goroutines: maxGoroutines,
    queries,
    target_urls: targetURLs,
    pr_status_base_urls: prStatus,
    merge_method: (isObject(t.merge_method) ? t.merge_method : {}) as Record<string, unknown>,
    merge_commit_template: t.merge_commit_template ?? {},
    github_merge_blocks_policy: policies,
  };
  if (t.gerrit !== undefined) out.gerrit = { ...t.gerrit, ratelimit: t.gerrit.ratelimit || 5 };
  return out;
}
