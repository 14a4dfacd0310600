// Test-only helpers for hook's suites (imported by *.test.ts only): Prow's and hook's example
// payloads (GitHub's own come from @jetprow/testing's example), and webhook headers signed
// independently of the code under test (@jetprow/testing's signBody: node:crypto, not
// @octokit/webhooks).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { repoRoot, signBody } from '@jetprow/testing';

/** A payload Prow's phony sends (kubernetes-sigs/prow cmd/phony/examples), as exact text. */
export function prowPhonyExample(name: string): string {
  return readFileSync(join(repoRoot, 'fixtures', 'prow', 'phony-examples', name), 'utf8');
}

/** One of hook's own example payloads (services/hook/examples), as exact text. */
export function hookExample(name: string): string {
  return readFileSync(join(repoRoot, 'services', 'hook', 'examples', name), 'utf8');
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
    'x-hub-signature-256': signBody(init.secret, init.body),
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
