// octokitWriter through the real @octokit/rest against the fake GitHub REST server: what lands on
// GitHub, and how GitHub's error answers arrive at the classifier; and the dry-run writer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Log } from '@jetprow/bus';
import { createOctokit } from '@jetprow/github';
import { startFakeGitHub, type FakeGitHub } from '@jetprow/testing';
import {
  dryRunWriter,
  GitHubWriteError,
  octokitReads,
  octokitWriter,
  type StatusWrite,
} from './github.js';
import { classifyWriteError, type WriteFailure } from './runtime.js';

const HEAD = 'a'.repeat(40);
const UNKNOWN = 'f'.repeat(40);
let gh: FakeGitHub;
let refuse: Response | undefined;

beforeAll(async () => {
  gh = await startFakeGitHub({
    strictShas: true,
    beforeWrite: () => refuse?.clone(),
  });
  gh.state.addPullRequest({ owner: 'acme', repo: 'widgets', number: 12, head: { sha: HEAD } });
});
afterAll(async () => {
  await gh.close();
});

const status = (over: Partial<StatusWrite> = {}): StatusWrite => ({
  org: 'acme',
  repo: 'widgets',
  sha: HEAD,
  state: 'pending',
  context: 'pull-unit',
  description: 'Job triggered.',
  target_url: 'https://prow.example.com/view/1',
  ...over,
});

// As reporter builds it: rate-limit waits go back to the bus instead of a sleep.
const writer = () =>
  octokitWriter(
    createOctokit({
      baseUrl: gh.url,
      token: 'token',
      writePacing: 'external',
      maxRateLimitWaitMs: 0,
    }),
  );

async function failure(s: StatusWrite, w = writer()): Promise<GitHubWriteError> {
  const err = await w.createStatus(s).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GitHubWriteError);
  return err as GitHubWriteError;
}

describe('octokitWriter', () => {
  it('creates the commit status as given', async () => {
    await writer().createStatus(status({ state: 'success', description: 'Job succeeded.' }));
    const repo = gh.state.repo('acme', 'widgets')!;
    expect(gh.state.statuses(repo, HEAD)[0]).toMatchObject({
      state: 'success',
      context: 'pull-unit',
      description: 'Job succeeded.',
      targetUrl: 'https://prow.example.com/view/1',
    });
  });

  it('leaves empty fields out, as Prow does', async () => {
    await writer().createStatus(status({ context: 'no-url', target_url: '' }));
    const repo = gh.state.repo('acme', 'widgets')!;
    expect(gh.state.statuses(repo, HEAD)[0]).toMatchObject({ context: 'no-url', targetUrl: null });
  });

  const cases: {
    name: string;
    write: StatusWrite;
    refuse?: () => Response;
    want: WriteFailure;
  }[] = [
    { name: 'unknown repo: 404 → gone', write: status({ repo: 'nope' }), want: { kind: 'gone' } },
    {
      name: 'unknown SHA: 422 No commit found → gone',
      write: status({ sha: UNKNOWN }),
      want: { kind: 'gone' },
    },
    {
      name: 'description over 140 characters: 422 → rejected',
      write: status({ description: 'x'.repeat(141) }),
      want: { kind: 'rejected' },
    },
    {
      name: 'secondary rate limit: 403 with retry-after → rate-limited',
      write: status(),
      refuse: () =>
        Response.json(
          { message: 'You have exceeded a secondary rate limit.' },
          { status: 403, headers: { 'retry-after': '30' } },
        ),
      want: { kind: 'rate-limited', delayMs: 31_000 },
    },
    {
      name: 'server error: 502 → retry',
      write: status(),
      refuse: () => Response.json({ message: 'Server Error' }, { status: 502 }),
      want: { kind: 'retry' },
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      refuse = tc.refuse?.();
      try {
        expect(classifyWriteError(await failure(tc.write))).toEqual(tc.want);
      } finally {
        refuse = undefined;
      }
    });
  }

  it('no answer at all (connection refused) → retry', async () => {
    const down = octokitWriter(createOctokit({ baseUrl: 'http://127.0.0.1:1', token: 'token' }));
    const err = await failure(status(), down);
    expect(err.status).toBeUndefined();
    expect(classifyWriteError(err)).toEqual({ kind: 'retry' });
  });
});

describe('octokitReads', () => {
  it('lists comments with If-None-Match: an unchanged PR is a 304 that costs no quota', async () => {
    const o = createOctokit({ baseUrl: gh.url, token: 'etag-token' });
    const reads = octokitReads(o, async () => 'jetprow-bot');
    const quota = async () =>
      Number((await o.rest.users.getAuthenticated()).headers['x-ratelimit-remaining']);
    const repo = gh.state.repo('acme', 'widgets')!;
    gh.state.createComment(repo, 12, 'first', 'alice');
    const start = await quota();
    expect(
      (await reads.listComments({ org: 'acme', repo: 'widgets', number: 12 })).map((c) => c.body),
    ).toEqual(['first']);
    expect(await reads.listComments({ org: 'acme', repo: 'widgets', number: 12 })).toHaveLength(1);
    expect(reads.cache.hits).toBe(1);
    // One counted list, the 304, and the two quota probes themselves.
    expect(start - (await quota())).toBe(2);
    gh.state.createComment(repo, 12, 'second', 'bob');
    const after = await reads.listComments({ org: 'acme', repo: 'widgets', number: 12 });
    expect(after.map((c) => `${c.user}:${c.body}`)).toEqual(['alice:first', 'bob:second']);
    expect(reads.cache.hits).toBe(1);
  });
});

/** A Log keeping its info lines. */
function recordingLog(): { log: Log; lines: { obj: object; msg?: string }[] } {
  const lines: { obj: object; msg?: string }[] = [];
  const log: Log = {
    debug() {},
    info: (obj, msg) => lines.push({ obj, msg }),
    warn() {},
    error() {},
    child: () => log,
  };
  return { log, lines };
}

describe('dryRunWriter', () => {
  it('logs the status it would write and resolves', async () => {
    const { log, lines } = recordingLog();
    const status = {
      org: 'acme',
      repo: 'widgets',
      sha: 'a'.repeat(40),
      state: 'success' as const,
      context: 'pull-unit',
      description: 'Job succeeded.',
      target_url: 'https://prow.example.com/view/1',
    };
    await dryRunWriter(log).createStatus(status);
    expect(lines).toEqual([
      { obj: { dryRun: true, write: 'status', ...status }, msg: 'dry run: would create status' },
    ]);
  });
});

describe('dryRunWriter: comments and labels', () => {
  const cases: {
    name: string;
    run: (w: ReturnType<typeof dryRunWriter>) => Promise<void>;
    want: object;
    msg: string;
  }[] = [
    {
      name: 'a comment',
      run: (w) => w.createComment({ org: 'o', repo: 'r', number: 1 }, 'hi'),
      want: { write: 'comment_create', org: 'o', repo: 'r', number: 1, body: 'hi' },
      msg: 'dry run: would create comment',
    },
    {
      name: 'an edit',
      run: (w) => w.editComment({ org: 'o', repo: 'r' }, 7, 'new'),
      want: { write: 'comment_edit', id: 7, body: 'new' },
      msg: 'dry run: would edit comment',
    },
    {
      name: 'a delete',
      run: (w) => w.deleteComment({ org: 'o', repo: 'r' }, 7),
      want: { write: 'comment_delete', id: 7 },
      msg: 'dry run: would delete comment',
    },
    {
      name: 'a label added',
      run: (w) => w.addLabel({ org: 'o', repo: 'r', number: 1 }, 'lgtm'),
      want: { write: 'label_add', label: 'lgtm' },
      msg: 'dry run: would add label',
    },
    {
      name: 'a label removed',
      run: (w) => w.removeLabel({ org: 'o', repo: 'r', number: 1 }, 'lgtm'),
      want: { write: 'label_remove', label: 'lgtm' },
      msg: 'dry run: would remove label',
    },
  ];
  for (const tc of cases) {
    it(`logs ${tc.name} it would make`, async () => {
      const { log, lines } = recordingLog();
      await tc.run(dryRunWriter(log));
      expect(lines).toEqual([
        { obj: expect.objectContaining({ dryRun: true, ...tc.want }), msg: tc.msg },
      ]);
    });
  }
});
