// A set of repositories as checkconfig reasons about them (Prow's orgRepoConfig,
// cmd/checkconfig/main.go): whole orgs, each minus a set of excluded `org/repo`s, plus single
// `org/repo`s. Tide queries, plugin enablement and branch protection are compared as such sets.

export class OrgRepoSet {
  /** org → its excluded `org/repo`s. */
  readonly orgExceptions: Map<string, Set<string>>;
  readonly repos: Set<string>;

  constructor(orgExceptions = new Map<string, Set<string>>(), repos = new Set<string>()) {
    this.orgExceptions = orgExceptions;
    this.repos = repos;
  }

  /** Prow's items(): `org: o[ without repo(s) a, b 'a' 'b']` then `repo: o/r`, repos sorted. */
  items(): string[] {
    const out: string[] = [];
    for (const [org, excepts] of [...this.orgExceptions].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let item = `org: ${org}`;
      if (excepts.size > 0) {
        const sorted = [...excepts].sort();
        item = `${item} without repo(s) ${sorted.join(', ')}`;
        for (const r of sorted) item = `${item} '${r}'`;
      }
      out.push(item);
    }
    for (const r of [...this.repos].sort()) out.push(`repo: ${r}`);
    return out;
  }

  difference(c2: OrgRepoSet): OrgRepoSet {
    const res = new OrgRepoSet(new Map(), new Set(this.repos));
    for (const [org, excepts1] of this.orgExceptions) {
      const excepts2 = c2.orgExceptions.get(org);
      if (excepts2 !== undefined) {
        for (const r of excepts2) if (!excepts1.has(r)) res.repos.add(r);
      } else {
        const excepts = new Set(excepts1);
        for (const repo of c2.repos) if (orgOf(repo) === org) excepts.add(repo);
        res.orgExceptions.set(org, excepts);
      }
    }
    for (const r of c2.repos) res.repos.delete(r);
    for (const repo of [...res.repos]) {
      const org = orgOf(repo);
      if (org === undefined) continue;
      const excepts2 = c2.orgExceptions.get(org);
      if (excepts2 !== undefined && !excepts2.has(repo)) res.repos.delete(repo);
    }
    return res;
  }

  intersection(c2: OrgRepoSet): OrgRepoSet {
    const res = new OrgRepoSet();
    for (const [org, excepts1] of this.orgExceptions) {
      const excepts2 = c2.orgExceptions.get(org);
      if (excepts2 !== undefined) res.orgExceptions.set(org, new Set([...excepts1, ...excepts2]));
      else {
        for (const repo of c2.repos) {
          if (orgOf(repo) === org && !excepts1.has(repo)) res.repos.add(repo);
        }
      }
    }
    for (const repo of this.repos) {
      if (c2.repos.has(repo)) res.repos.add(repo);
      else {
        const org = orgOf(repo);
        const excepts2 = org === undefined ? undefined : c2.orgExceptions.get(org);
        if (excepts2 !== undefined && !excepts2.has(repo)) res.repos.add(repo);
      }
    }
    return res;
  }

  union(c2: OrgRepoSet): OrgRepoSet {
    const res = new OrgRepoSet();
    for (const [org, excepts1] of this.orgExceptions) {
      const pruned = new Set([...excepts1].filter((r) => !c2.repos.has(r)));
      const excepts2 = c2.orgExceptions.get(org);
      if (excepts2 !== undefined) {
        const e2 = [...excepts2].filter((r) => !this.repos.has(r));
        res.orgExceptions.set(org, new Set([...pruned].filter((r) => e2.includes(r))));
      } else res.orgExceptions.set(org, pruned);
    }
    for (const [org, excepts2] of c2.orgExceptions) {
      if (!res.orgExceptions.has(org)) {
        res.orgExceptions.set(org, new Set([...excepts2].filter((r) => !this.repos.has(r))));
      }
    }
    for (const repo of new Set([...this.repos, ...c2.repos])) {
      const org = orgOf(repo);
      if (org === undefined) continue; // Prow logs "formatted incorrectly" and skips it
      if (!res.orgExceptions.has(org)) res.repos.add(repo);
    }
    return res;
  }
}

function orgOf(repo: string): string | undefined {
  const i = repo.indexOf('/');
  return i < 0 ? undefined : repo.slice(0, i);
}

/** TideQueries.OrgExceptionsAndRepos: which orgs (minus exceptions) and repos the queries cover. */
export function tideQueriesSet(
  queries: readonly { orgs?: string[]; repos?: string[]; excludedRepos?: string[] }[],
): OrgRepoSet {
  const orgs = new Map<string, Set<string>>();
  for (const q of queries) {
    for (const org of q.orgs ?? []) {
      const applicable = new Set((q.excludedRepos ?? []).filter((r) => r.startsWith(`${org}/`)));
      const seen = orgs.get(org);
      orgs.set(
        org,
        seen === undefined ? applicable : new Set([...seen].filter((r) => applicable.has(r))),
      );
    }
  }
  const repos = new Set(queries.flatMap((q) => q.repos ?? []));
  for (const excepts of orgs.values()) for (const r of repos) excepts.delete(r);
  return new OrgRepoSet(orgs, repos);
}

interface PluginsLike {
  plugins: Record<string, { plugins: string[]; excluded_repos: string[] }>;
  external_plugins: Record<string, { name: string }[]>;
}

/** EnabledReposForPlugin / EnabledReposForExternalPlugin as a set (enabledOrgReposForPlugin). */
export function pluginSet(c: PluginsLike, plugin: string, external = false): OrgRepoSet {
  const orgs = new Map<string, Set<string>>();
  const repos: string[] = [];
  if (external) {
    for (const [key, list] of Object.entries(c.external_plugins)) {
      if (!list.some((p) => p.name === plugin)) continue;
      if (key.includes('/')) repos.push(key);
      else orgs.set(key, new Set());
    }
    return new OrgRepoSet(orgs, new Set(repos));
  }
  for (const [key, cfg] of Object.entries(c.plugins)) {
    if (!cfg.plugins.includes(plugin)) continue;
    if (key.includes('/')) repos.push(key);
    else orgs.set(key, new Set(cfg.excluded_repos.map((r) => `${key}/${r}`)));
  }
  for (const repo of repos) orgs.get(repo.split('/')[0] as string)?.delete(repo);
  return new OrgRepoSet(orgs, new Set(repos));
}
