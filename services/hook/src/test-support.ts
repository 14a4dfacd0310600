// Test-only helpers for hook's suites (imported by *.test.ts only): real example payloads and
// signatures computed independently of the code under test (node:crypto, not @octokit/webhooks).
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Registry } from 'prom-client';

/** The monorepo root: the nearest directory above this file whose package.json has workspaces. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in JSON.parse(readFileSync(pkg, 'utf8'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no workspace root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** `shared/` sits beside the repository checkout. */
export function sharedDir(): string {
  return join(repoRoot(), '..', 'shared');
}

/** A payload Prow's phony sends (kubernetes-sigs/prow cmd/phony/examples), as exact text. */
export function prowPhonyExample(name: string): string {
  return readFileSync(join(sharedDir(), 'fixtures', 'prow', 'phony-examples', name), 'utf8');
}

/** One of hook's own example payloads (services/hook/examples), as exact text. */
export function hookExample(name: string): string {
  return readFileSync(join(repoRoot(), 'services', 'hook', 'examples', name), 'utf8');
}

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as ExampleGroup[];

/** A deep copy of a GitHub-docs example payload (@octokit/webhooks-examples). */
export function githubExample(
  event: string,
  pick: (p: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const found = examples.find((g) => g.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no @octokit/webhooks-examples payload for ${event}`);
  return structuredClone(found);
}

/** GitHub's X-Hub-Signature-256, computed with node:crypto. */
export function sign(body: string | Uint8Array, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookInit {
  event: string;
  body: string;
  secret: string;
  delivery?: string;
  method?: string;
  /** Header overrides; null removes a header. */
  headers?: Record<string, string | null>;
}

/** The headers GitHub sends with a delivery, signed with `secret`. */
export function webhookHeaders(init: WebhookInit): Record<string, string> {
  const headers: Record<string, string | null> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/test',
    'x-github-event': init.event,
    'x-github-delivery': init.delivery ?? randomUUID(),
    'x-github-hook-id': '1',
    'x-hub-signature-256': sign(init.body, init.secret),
    ...init.headers,
  };
  return Object.fromEntries(
    Object.entries(headers).filter((e): e is [string, string] => e[1] !== null),
  );
}

/** A counter's value, or a histogram's observation count, for one label set; 0 when absent. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  const match = data.values.find(
    (v) =>
      // Counters have one series per label set; histograms are read by their `_count`.
      [undefined, name, `${name}_count`].includes((v as { metricName?: string }).metricName) &&
      Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val),
  );
  return match?.value ?? 0;
}
