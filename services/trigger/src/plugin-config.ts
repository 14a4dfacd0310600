// plugins.yaml lookups trigger needs (pkg/plugins/config.go TriggerFor, plugin enablement).
import { defaultTrigger, type PluginsConfig, type Trigger } from '@jetprow/config';

/** TriggerFor: a repo-level entry wins over an org-level one; else defaults. */
export function triggerFor(cfg: PluginsConfig, org: string, repo: string): Trigger {
  const full = `${org}/${repo}`;
  const byRepo = cfg.triggers.find((t) => t.repos.includes(full));
  if (byRepo) return byRepo;
  const byOrg = cfg.triggers.find((t) => t.repos.includes(org));
  if (byOrg) return byOrg;
  return defaultTrigger();
}

/** Whether `plugin` is enabled for org/repo: listed for the repo, or for the org and not excluded. */
export function pluginEnabled(
  cfg: PluginsConfig,
  plugin: string,
  org: string,
  repo: string,
): boolean {
  const full = `${org}/${repo}`;
  if (cfg.plugins[full]?.plugins.includes(plugin)) return true;
  const orgEntry = cfg.plugins[org];
  return (
    orgEntry !== undefined &&
    orgEntry.plugins.includes(plugin) &&
    !orgEntry.excluded_repos.includes(repo)
  );
}
