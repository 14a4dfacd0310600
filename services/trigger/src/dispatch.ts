// One event → the plugins enabled for its repo (pkg/hook/events.go demuxEvent).
import type { GitHubEvent } from '@jetprow/schemas';
import type { TriggerClient } from './context.js';
import type { Plugin } from './plugin.js';
import { pluginEnabled, triggerFor } from './plugin-config.js';

export interface DispatchResult {
  plugin: string;
  created: string[];
}

export async function dispatchEvent(
  c: TriggerClient,
  plugins: readonly Plugin[],
  ev: GitHubEvent,
  allEnabled: boolean,
): Promise<DispatchResult[]> {
  const cfg = c.getConfig().plugins;
  const out: DispatchResult[] = [];
  for (const p of plugins) {
    if (!allEnabled && !pluginEnabled(cfg, p.name, ev.org, ev.repo)) continue;
    const t = triggerFor(cfg, ev.org, ev.repo);
    const created: string[] = [];
    if (ev.comment && p.handles.genericComment) {
      created.push(...(await p.handles.genericComment(c, t, ev, ev.comment)));
    }
    if (ev.event === 'pull_request' && ev.pull_request && p.handles.pullRequest) {
      created.push(...(await p.handles.pullRequest(c, t, ev, ev.pull_request)));
    }
    if (ev.event === 'push' && ev.push && p.handles.push) {
      created.push(...(await p.handles.push(c, t, ev, ev.push)));
    }
    out.push({ plugin: p.name, created });
  }
  return out;
}
