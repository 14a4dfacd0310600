// Test support for trigger's suites: config through the real loader, an in-memory GitHub reader
// implementing trigger's narrow interface (counting the changed-files reads), webhook payloads
// normalized as hook does, and a harness that runs events through the plugins against a real
// nats-server + KV JobStore.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLog } from '@jetprow/bus';
import { loadConfig, type LoadedConfig } from '@jetprow/config';
import { normalizeEvent } from '@jetprow/core';
import type { PullRequestInfo } from '@jetprow/github';
import type { GitHubEvent, ProwJob } from '@jetprow/schemas';
import { startStoreHarness, type StoreHarness } from '@jetprow/store/testing';
import type { TriggerClient, TriggerGitHub } from '../src/context.js';
import { dispatchEvent } from '../src/dispatch.js';
import { plugins } from '../src/plugins/index.js';
import { collectingResponder, type WriteIntent } from '../src/responder.js';

export const HEAD = 'a'.repeat(40);
export const BASE = 'b'.repeat(40);
export const PAYLOAD_BASE = 'e'.repeat(40);
export const NOW = new Date('2026-01-01T00:00:00Z');
/** The smallest valid pod spec, as a job's YAML field. */
export const SPEC = 'spec: {containers: [{image: x, command: ["true"]}]}';

/** The presubmits most command and event tests use (o/r), one per kind of trigger. */
export const JOBS = `
presubmits:
  o/r:
  - name: unit
    always_run: true
    ${SPEC}
  - name: docs
    run_if_changed: '^docs/'
    ${SPEC}
  - name: e2e
    optional: true
    ${SPEC}
  - name: manual-required
    ${SPEC}
  - name: release-only
    always_run: true
    branches: [^release$]
    ${SPEC}
  o/manual:
  - name: manual
    ${SPEC}
  o/docs-only:
  - name: docs-only
    run_if_changed: '^docs/'
    ${SPEC}
`;

export const PLUGINS = 'plugins:\n  o:\n    plugins: [trigger]\n';

/** config.yaml, jobs.yaml and (when given) plugins.yaml written to a temp dir and loaded. */
export function loadConfigFiles(files: {
  config: string;
  jobs: string;
  plugins?: string;
}): LoadedConfig {
  const dir = mkdtempSync(join(tmpdir(), 'trigger-test-'));
  const path = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const r = loadConfig({
    configPath: path('config.yaml', files.config),
    jobConfigPath: path('jobs.yaml', files.jobs),
    ...(files.plugins === undefined
      ? {}
      : { pluginConfigPath: path('plugins.yaml', files.plugins) }),
  });
  if (!r.ok) throw new Error(r.errors.map(String).join('\n'));
  return r.config;
}

export function loadTestConfig(
  jobs = JOBS,
  plugins = PLUGINS,
  config = 'prowjob_namespace: prow\n',
): LoadedConfig {
  return loadConfigFiles({ config, jobs, plugins });
}

/** GitHub as trigger reads it. Members of `o`: member; of `trusted`: friend; collaborators: collab. */
export class FakeReader implements TriggerGitHub {
  members = new Map([
    ['o', new Set(['member'])],
    ['trusted', new Set(['friend'])],
  ]);
  collaborators = new Set(['collab']);
  pr: PullRequestInfo = {
    number: 7,
    state: 'open',
    draft: false,
    merged: false,
    mergeable: true,
    title: 'T',
    author: 'member',
    author_link: '',
    head_sha: HEAD,
    head_ref: 'feature',
    base_ref: 'main',
    base_sha: PAYLOAD_BASE,
    html_url: 'https://github.com/o/r/pull/7',
    repo_link: 'https://github.com/o/r',
    labels: [],
  };
  files = ['src/a.go'];
  statuses = new Map<string, string>();
  merged = 0;
  reads = { files: 0, statuses: 0 };
  async isMember(org: string, user: string) {
    return this.members.get(org)?.has(user) ?? false;
  }
  async isCollaborator(_o: string, _r: string, user: string) {
    return this.collaborators.has(user);
  }
  async getPullRequest() {
    return structuredClone(this.pr);
  }
  async getRef() {
    return BASE;
  }
  async getCombinedStatus() {
    this.reads.statuses++;
    return new Map(this.statuses);
  }
  async getPullRequestChanges() {
    this.reads.files++;
    return [...this.files];
  }
  async botLogin() {
    return 'bot';
  }
  async countMergedPullRequests() {
    return this.merged;
  }
}

let seq = 0;
const nextDelivery = () => `d-${++seq}`;
const repository = (repo: string) => ({
  name: repo,
  owner: { login: 'o', name: 'o' },
  html_url: `https://github.com/o/${repo}`,
});

export interface CommentOptions {
  author?: string;
  action?: string;
  state?: string;
  isPR?: boolean;
  delivery?: string;
  repo?: string;
  prAuthor?: string;
}

export function commentEvent(body: string, o: CommentOptions = {}): GitHubEvent {
  return normalizeEvent(
    'issue_comment',
    o.delivery ?? nextDelivery(),
    {
      action: o.action ?? 'created',
      issue: {
        number: 7,
        state: o.state ?? 'open',
        user: { login: o.prAuthor ?? 'member' },
        ...(o.isPR === false ? {} : { pull_request: { url: 'x' } }),
      },
      comment: {
        id: 1,
        body,
        user: { login: o.author ?? 'member' },
        html_url: 'https://github.com/o/r/pull/7#c1',
      },
      repository: repository(o.repo ?? 'r'),
      sender: { login: o.author ?? 'member' },
    },
    NOW,
  );
}

export interface PrOptions {
  author?: string;
  authorType?: string;
  draft?: boolean;
  labels?: string[];
  head?: string;
  body?: string;
  repo?: string;
  sender?: string;
}

export function prEvent(
  action: string,
  extra: Record<string, unknown> = {},
  o: PrOptions = {},
): GitHubEvent {
  const repo = o.repo ?? 'r';
  const ev = normalizeEvent(
    'pull_request',
    nextDelivery(),
    {
      action,
      number: 7,
      pull_request: {
        id: 99,
        number: 7,
        state: 'open',
        draft: o.draft ?? false,
        title: 'T',
        body: o.body ?? '',
        user: { login: o.author ?? 'member', type: o.authorType ?? 'User' },
        head: { sha: o.head ?? HEAD, ref: 'feature' },
        base: { ref: 'main', sha: PAYLOAD_BASE },
        html_url: `https://github.com/o/${repo}/pull/7`,
        labels: (o.labels ?? []).map((name) => ({ name })),
      },
      repository: repository(repo),
      sender: { login: o.sender ?? 'someone' },
      ...extra,
    },
    NOW,
  );
  return { ...ev, raw: { pull_request: { user: { type: o.authorType ?? 'User' } } } };
}

export function pushEvent(
  ref: string,
  extra: Record<string, unknown> = {},
  files: Record<string, string[]>[] = [{ modified: ['src/a.go'] }],
): GitHubEvent {
  return normalizeEvent(
    'push',
    nextDelivery(),
    {
      ref,
      before: BASE,
      after: HEAD,
      deleted: false,
      created: false,
      compare: 'https://github.com/o/r/compare/b...a',
      commits: files.map((f) => ({ added: [], removed: [], modified: [], ...f })),
      repository: repository('r'),
      pusher: { name: 'member' },
      sender: { login: 'member' },
      ...extra,
    },
    NOW,
  );
}

export const jobNames = (jobs: ProwJob[]): string[] => jobs.map((j) => j.spec.job).sort();
export const bodyOf = (i: WriteIntent | undefined): string => (i && 'body' in i ? i.body : '');
export const intentKinds = (intents: WriteIntent[]): string[] =>
  intents.map((i) =>
    i.kind === 'add-label' || i.kind === 'remove-label' ? `${i.kind}:${i.label}` : i.kind,
  );

/** One nats-server + KV JobStore per suite; `reset()` before each test. */
export interface TriggerHarness extends StoreHarness {
  gh: FakeReader;
  responder: ReturnType<typeof collectingResponder>;
  cfg: LoadedConfig;
  reset(cfg?: LoadedConfig): void;
  run(ev: GitHubEvent): Promise<ProwJob[]>;
}

export async function startTriggerHarness(): Promise<TriggerHarness> {
  const base = loadTestConfig();
  const { nats, bus, store, close } = await startStoreHarness('trigger-test');
  const h: TriggerHarness = {
    nats,
    bus,
    store,
    gh: new FakeReader(),
    responder: collectingResponder(),
    cfg: base,
    reset(cfg = base) {
      h.gh = new FakeReader();
      h.responder = collectingResponder();
      h.cfg = cfg;
    },
    async run(ev) {
      const client: TriggerClient = {
        store,
        github: h.gh,
        responder: h.responder,
        getConfig: () => h.cfg,
        log: silentLog,
        now: () => NOW,
      };
      const names = (await dispatchEvent(client, plugins, ev, false)).flatMap((r) => r.created);
      const jobs = await Promise.all(names.map((n) => store.get(n)));
      return jobs.filter((j): j is ProwJob => j !== undefined);
    },
    close,
  };
  return h;
}

/**
 * The suite's harness: started before the file's tests, closed after them, reset (to `cfg`, else
 * the default config) before each test. `set` receives it once started.
 */
export function useTriggerHarness(set: (h: TriggerHarness) => void, cfg?: LoadedConfig): void {
  let h: TriggerHarness | undefined;
  beforeAll(async () => {
    h = await startTriggerHarness();
    set(h);
  });
  afterAll(() => h?.close());
  beforeEach(() => h?.reset(cfg));
}
