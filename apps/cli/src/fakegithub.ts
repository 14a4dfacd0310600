// `jetprow fakegithub`: the in-repo fake GitHub (Prow's fakeghserver idea) as a process, seeded
// from a YAML file. `jetprow all` runs it as a local sandbox when no GitHub credentials are given.
// It serves from @jetprow/fake-github without schema validation (tests run the same fake through
// @jetprow/testing, which checks requests and responses against GitHub's OpenAPI description).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { FakeGitHubState, startFakeGitHub, type FakeGitHub } from '@jetprow/fake-github';
import { demo } from './paths.js';

interface Seed {
  user?: string;
  orgs?: Record<string, { members?: string[] }>;
  repos?: Record<
    string,
    {
      collaborators?: string[];
      branches?: Record<string, string>;
      pulls?: {
        number: number;
        title?: string;
        author?: string;
        head_sha: string;
        head_ref?: string;
        base_ref?: string;
        labels?: string[];
        draft?: boolean;
        files?: string[];
      }[];
    }
  >;
}

export function seededState(seedFile: string): { state: FakeGitHubState; login: string } {
  const seed = (parse(readFileSync(seedFile, 'utf8')) ?? {}) as Seed;
  const state = new FakeGitHubState();
  for (const [org, o] of Object.entries(seed.orgs ?? {})) {
    for (const m of o.members ?? []) state.addOrgMember(org, m);
  }
  for (const [full, r] of Object.entries(seed.repos ?? {})) {
    const [owner, repo] = full.split('/') as [string, string];
    state.addRepo(owner, repo);
    for (const c of r.collaborators ?? []) state.addCollaborator(owner, repo, c);
    for (const [b, sha] of Object.entries(r.branches ?? {})) state.setBranch(owner, repo, b, sha);
    for (const p of r.pulls ?? []) {
      state.addPullRequest({
        owner,
        repo,
        number: p.number,
        title: p.title,
        user: p.author,
        labels: p.labels,
        draft: p.draft,
        head: { sha: p.head_sha, ref: p.head_ref },
        base: { ref: p.base_ref },
        files: (p.files ?? []).map((filename) => ({ filename })),
      });
    }
  }
  return { state, login: seed.user ?? 'jetprow-bot' };
}

export async function startSandboxGitHub(seedFile: string, port?: number): Promise<FakeGitHub> {
  const { state, login } = seededState(seedFile);
  return startFakeGitHub({ state, login, port });
}

export async function runFakeGitHub(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`jetprow fakegithub: ${(err as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write('Usage: jetprow fakegithub [--seed FILE] [--port N]\n');
    return 0;
  }
  const port = values.port === undefined ? 8880 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `jetprow fakegithub: --port: "${String(values.port)}" is not a port number\n`,
    );
    return 2;
  }
  const gh = await startSandboxGitHub((values.seed as string | undefined) ?? demo.githubSeed, port);
  process.stdout.write(`fake GitHub API at ${gh.url} (use it as --github-endpoint)\n`);
  await new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  await gh.close();
  return 0;
}
