// trigger's comment commands (pkg/plugins/trigger/generic-comment.go, pkg/pjutil/filter.go,
// help.go), one row per Prow behaviour, against a real nats-server + KV JobStore.
import { describe, expect, it } from 'vitest';
import { HELP_COMMENT_MARKERS } from './commands.js';
import { formatResponseRaw } from './responder.js';
import {
  BASE,
  HEAD,
  PLUGINS,
  bodyOf,
  commentEvent,
  intentKinds,
  jobNames,
  loadTestConfig,
  useTriggerHarness,
  type CommentOptions,
  type TriggerHarness,
} from '../testing/test-support.js';

let h: TriggerHarness;
useTriggerHarness((x) => (h = x));

const run = (body: string, o?: CommentOptions) => h.run(commentEvent(body, o));
/** plugins.yaml with the trigger plugin for org o and `t` as its triggers entry's fields. */
const triggers = (t: string) => `${PLUGINS}triggers:\n- repos: [o]\n${t}`;

describe('commands (generic-comment.go, pjutil.PresubmitFilter)', () => {
  const cases: {
    name: string;
    body: string;
    /** The PR's changed files (default: src/a.go). */
    files?: string[];
    /** The head commit's statuses, context → state. */
    statuses?: Record<string, string>;
    want: string[];
  }[] = [
    {
      name: '/test all runs the jobs that need no explicit trigger, run_if_changed evaluated',
      body: '/test all',
      want: ['unit'],
    },
    {
      name: '/test all runs a run_if_changed job whose files changed',
      body: '/test all',
      files: ['docs/x.md'],
      want: ['docs', 'unit'],
    },
    {
      name: '/test all, with a trailing comma or text, is still /test all',
      body: '/test all, please',
      want: ['unit'],
    },
    {
      name: '/test <job> forces a job that needs an explicit trigger',
      body: '/test e2e',
      want: ['e2e'],
    },
    {
      name: '/test <job> forces a run_if_changed job whatever changed',
      body: '/test docs',
      want: ['docs'],
    },
    { name: '/test <job> still honours branches', body: '/test release-only', want: [] },
    { name: '/test with several targets runs each', body: '/test e2e docs', want: ['docs', 'e2e'] },
    {
      name: 'several commands in one comment are a union',
      body: 'please\n/test e2e\n/test docs',
      want: ['docs', 'e2e'],
    },
    { name: 'a command must start its line', body: 'please /test e2e', want: [] },
    {
      name: '/retest reruns failed contexts and automatic jobs with no status yet',
      body: '/retest',
      statuses: { e2e: 'failure', unit: 'success' },
      want: ['e2e'],
    },
    {
      name: '/retest treats error like failure',
      body: '/retest',
      statuses: { e2e: 'error', unit: 'success' },
      want: ['e2e'],
    },
    {
      name: '/retest runs automatic jobs that have not reported yet',
      body: '/retest',
      want: ['unit'],
    },
    {
      name: '/retest-required skips optional jobs',
      body: '/retest-required',
      statuses: { e2e: 'failure', unit: 'error' },
      want: ['unit'],
    },
    {
      name: '/test-manual-required runs required jobs that need an explicit trigger and have no file filter',
      body: '/test-manual-required',
      want: ['manual-required'],
    },
    {
      name: '/ok-to-test from a trusted user runs what /test all runs',
      body: '/ok-to-test',
      want: ['unit'],
    },
    {
      name: 'a command only inside a code block never triggers',
      body: '```\n/test all\n```',
      want: [],
    },
    // Prow gates on the comment with code blocks dropped, but filters the raw body (gc.Body).
    {
      name: 'once a comment triggers, the filter reads the raw body, code blocks included',
      body: '```\n/test e2e\n```\n/test docs',
      want: ['docs', 'e2e'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      if (tc.files) h.gh.files = tc.files;
      for (const [context, state] of Object.entries(tc.statuses ?? {})) {
        h.gh.statuses.set(context, state);
      }
      expect(jobNames(await run(tc.body))).toEqual(tc.want);
    });
  }

  it('/retest and /retest-required label their jobs prow.k8s.io/retest=true; /test does not', async () => {
    h.gh.statuses.set('unit', 'failure');
    const [retested] = await run('/retest');
    expect(retested?.metadata.labels?.['prow.k8s.io/retest']).toBe('true');
    const [tested] = await run('/test unit');
    expect(tested?.metadata.labels?.['prow.k8s.io/retest']).toBeUndefined();
  });

  it('the combined status is read only for /retest and /retest-required', async () => {
    await run('/test all');
    expect(h.gh.reads.statuses).toBe(0);
    await run('/retest');
    expect(h.gh.reads.statuses).toBe(1);
  });

  const ignored: { name: string; o: CommentOptions; body?: string }[] = [
    { name: 'edited comments never trigger', o: { action: 'edited' } },
    { name: 'deleted comments never trigger', o: { action: 'deleted' } },
    { name: 'comments on closed PRs never trigger', o: { state: 'closed' } },
    { name: 'comments on issues never trigger', o: { isPR: false } },
    { name: "the bot's own comments never trigger", o: { author: 'bot' } },
    {
      name: 'comments that are no command and match no trigger are ignored',
      o: {},
      body: 'LGTM, nice work',
    },
  ];
  for (const tc of ignored) {
    it(tc.name, async () => {
      expect(await run(tc.body ?? '/test all', tc.o)).toEqual([]);
      expect(h.responder.intents).toEqual([]);
    });
  }
});

describe('trust (trigger.go TrustedUser, pull-request.go TrustedPullRequest)', () => {
  const cases: {
    name: string;
    commenter: string;
    prAuthor: string;
    labels?: string[];
    triggerCfg?: string;
    want: string[];
  }[] = [
    {
      name: 'an org member may test an untrusted PR',
      commenter: 'member',
      prAuthor: 'stranger',
      want: ['unit'],
    },
    {
      name: 'a repo collaborator may test an untrusted PR',
      commenter: 'collab',
      prAuthor: 'stranger',
      want: ['unit'],
    },
    {
      name: 'only_org_members: a collaborator is not trusted',
      commenter: 'collab',
      prAuthor: 'stranger',
      triggerCfg: '  only_org_members: true\n',
      want: [],
    },
    {
      name: 'trusted_apps: the <app>[bot] account is trusted',
      commenter: 'helper[bot]',
      prAuthor: 'stranger',
      triggerCfg: '  trusted_apps: [helper]\n',
      want: ['unit'],
    },
    {
      name: 'trusted_apps: the app name without [bot] is not',
      commenter: 'helper',
      prAuthor: 'stranger',
      triggerCfg: '  trusted_apps: [helper]\n',
      want: [],
    },
    {
      name: 'trusted_org: a member of the second org is trusted',
      commenter: 'friend',
      prAuthor: 'stranger',
      triggerCfg: '  trusted_org: trusted\n',
      want: ['unit'],
    },
    {
      name: 'without trusted_org a member of another org is not',
      commenter: 'friend',
      prAuthor: 'stranger',
      want: [],
    },
    {
      name: 'anyone may test a PR whose author is trusted',
      commenter: 'stranger',
      prAuthor: 'member',
      want: ['unit'],
    },
    {
      name: 'anyone may test a PR labelled ok-to-test',
      commenter: 'stranger',
      prAuthor: 'stranger',
      labels: ['ok-to-test'],
      want: ['unit'],
    },
    {
      name: 'an untrusted user on an untrusted PR triggers nothing',
      commenter: 'stranger',
      prAuthor: 'stranger',
      want: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      if (tc.triggerCfg) h.reset(loadTestConfig(undefined, triggers(tc.triggerCfg)));
      h.gh.pr.author = tc.prAuthor;
      h.gh.pr.labels = tc.labels ?? [];
      expect(
        jobNames(await run('/test all', { author: tc.commenter, prAuthor: tc.prAuthor })),
      ).toEqual(tc.want);
    });
  }

  it('an untrusted user on an untrusted PR is told how to get tests', async () => {
    h.gh.pr.author = 'stranger';
    await run('/test all', { author: 'stranger', prAuthor: 'stranger' });
    expect(h.responder.intents).toEqual([
      {
        kind: 'comment',
        org: 'o',
        repo: 'r',
        number: 7,
        body: formatResponseRaw(
          '/test all',
          'https://github.com/o/r/pull/7#c1',
          'stranger',
          'Cannot trigger testing until a trusted user reviews the PR and leaves an `/ok-to-test` message.',
        ),
      },
    ]);
  });

  it('with ignore_ok_to_test the reply says /ok-to-test cannot be used', async () => {
    h.reset(loadTestConfig(undefined, triggers('  ignore_ok_to_test: true\n')));
    h.gh.pr.author = 'stranger';
    await run('/test all', { author: 'stranger', prAuthor: 'stranger' });
    expect(bodyOf(h.responder.intents[0])).toContain(
      'PRs from untrusted users cannot be marked as trusted with `/ok-to-test` in this repo',
    );
  });
});

describe('/ok-to-test and /ok-to-test cancel', () => {
  it('/ok-to-test from a trusted user labels ok-to-test, removes needs-ok-to-test and runs /test all', async () => {
    h.gh.pr.author = 'stranger';
    h.gh.pr.labels = ['needs-ok-to-test'];
    expect(jobNames(await run('/ok-to-test', { prAuthor: 'stranger' }))).toEqual(['unit']);
    expect(intentKinds(h.responder.intents)).toEqual([
      'add-label:ok-to-test',
      'remove-label:needs-ok-to-test',
    ]);
  });

  it('/ok-to-test on a PR already labelled only removes needs-ok-to-test', async () => {
    h.gh.pr.labels = ['ok-to-test', 'needs-ok-to-test'];
    await run('/ok-to-test');
    expect(intentKinds(h.responder.intents)).toEqual(['remove-label:needs-ok-to-test']);
  });

  it('/ok-to-test cancel from a trusted user removes ok-to-test, adds needs-ok-to-test, runs nothing', async () => {
    h.gh.pr.author = 'stranger';
    h.gh.pr.labels = ['ok-to-test'];
    expect(await run('/ok-to-test cancel', { prAuthor: 'stranger' })).toEqual([]);
    expect(intentKinds(h.responder.intents)).toEqual([
      'remove-label:ok-to-test',
      'add-label:needs-ok-to-test',
    ]);
  });

  it('/ok-to-test cancel from an untrusted user on a trusted PR is refused', async () => {
    h.gh.pr.labels = ['ok-to-test'];
    expect(await run('/ok-to-test cancel', { author: 'stranger' })).toEqual([]);
    expect(h.responder.intents).toHaveLength(1);
    expect(bodyOf(h.responder.intents[0])).toContain(
      'Only trusted users can revoke `/ok-to-test`.',
    );
  });

  it('with ignore_ok_to_test, /ok-to-test adds no label and runs nothing', async () => {
    h.reset(loadTestConfig(undefined, triggers('  ignore_ok_to_test: true\n')));
    expect(await run('/ok-to-test')).toEqual([]);
    expect(h.responder.intents).toEqual([]);
  });
});

describe('the help comment (pjutil.ShouldRespondWithHelp, HelpMessage)', () => {
  const help = (note: string) =>
    note +
    'The following commands are available to trigger required jobs:\n```\n/test docs\n```\n```\n/test manual-required\n```\n```\n/test unit\n```\n\n' +
    'The following commands are available to trigger optional jobs:\n```\n/test e2e\n```\n\n' +
    'Use `/test all` to run the following jobs that were automatically triggered:\n```\nunit\n```\n\n';
  const cases: { name: string; body: string; note: string; repo?: string }[] = [
    { name: '/test ? lists the jobs', body: '/test ?', note: '' },
    {
      name: '/test without a target',
      body: '/test',
      note: 'The `/test` command needs one or more targets.\n',
    },
    {
      name: '/retest with a target',
      body: '/retest e2e',
      note: 'The `/retest` command does not accept any targets.\n',
    },
    {
      name: '/test of an unknown job',
      body: '/test nope',
      note: 'The specified target(s) for `/test` were not found.\n',
    },
  ];
  for (const tc of cases) {
    it(`${tc.name}: no jobs, the help comment`, async () => {
      expect(await run(tc.body)).toEqual([]);
      expect(h.responder.intents).toEqual([
        {
          kind: 'comment',
          org: 'o',
          repo: 'r',
          number: 7,
          body: formatResponseRaw(
            tc.body,
            'https://github.com/o/r/pull/7#c1',
            'member',
            help(tc.note),
          ),
        },
      ]);
    });
  }

  it('/test all that runs nothing says no jobs can be run with /test all', async () => {
    await run('/test all', { repo: 'manual' });
    expect(bodyOf(h.responder.intents[0])).toContain(
      'No jobs can be run with `/test all`.\nThe following commands are available to trigger required jobs:\n```\n/test manual\n```',
    );
  });

  it('a repo without presubmits says so', async () => {
    await run('/test ?', { repo: 'nothing' });
    expect(bodyOf(h.responder.intents[0])).toContain(
      'No presubmit jobs available for o/nothing@main',
    );
  });

  it('a /test or /retest that runs prunes the earlier help comments', async () => {
    await run('/test e2e');
    expect(h.responder.intents).toEqual([
      {
        kind: 'prune-comments',
        org: 'o',
        repo: 'r',
        number: 7,
        body_contains: [...HELP_COMMENT_MARKERS],
      },
    ]);
  });

  it('/ok-to-test does not prune help comments', async () => {
    await run('/ok-to-test');
    expect(h.responder.intents.map((i) => i.kind)).not.toContain('prune-comments');
  });
});

describe('job creation (runRequested)', () => {
  it('a PR GitHub reports as unmergeable gets no jobs, silently', async () => {
    h.gh.pr.mergeable = false;
    expect(await run('/test all')).toEqual([]);
  });

  it('the same delivery consumed twice creates nothing new', async () => {
    const first = await run('/test all', { delivery: 'same-guid' });
    const before = (await h.store.list()).length;
    const second = await run('/test all', { delivery: 'same-guid' });
    expect(second.map((j) => j.metadata.name)).toEqual(first.map((j) => j.metadata.name));
    expect((await h.store.list()).length).toBe(before);
  });

  it("ProwJobs carry Prow's labels, refs with the base SHA read from GitHub, the config namespace", async () => {
    const [job] = await run('/test all', { delivery: 'guid-labels' });
    expect(job!.metadata.namespace).toBe('prow');
    expect(job!.metadata.labels).toMatchObject({
      'created-by-prow': 'true',
      'prow.k8s.io/job': 'unit',
      'prow.k8s.io/type': 'presubmit',
      'prow.k8s.io/refs.org': 'o',
      'prow.k8s.io/refs.repo': 'r',
      'prow.k8s.io/refs.pull': '7',
      'event-GUID': 'guid-labels',
      'prow.k8s.io/is-optional': 'false',
    });
    expect(job!.spec.refs).toMatchObject({
      base_ref: 'main',
      base_sha: BASE,
      pulls: [{ number: 7, sha: HEAD, author: 'member' }],
    });
    expect(job!.spec).toMatchObject({ context: 'unit', rerun_command: '/test unit', report: true });
    expect(job!.status.state).toBe('triggered');
  });

  it('repos without the trigger plugin are ignored', async () => {
    h.reset(loadTestConfig(undefined, 'plugins:\n  other:\n    plugins: [trigger]\n'));
    expect(await run('/test all')).toEqual([]);
  });
});

describe('changed files are fetched at most once per event (lazy)', () => {
  it('the filter and the help comment of one event share one read', async () => {
    // /test all runs nothing here (docs/ unchanged), so the help comment evaluates the jobs again.
    expect(await run('/test all', { repo: 'docs-only' })).toEqual([]);
    expect(bodyOf(h.responder.intents[0])).toContain('No jobs can be run with `/test all`.');
    expect(h.gh.reads.files).toBe(1);
  });

  it('each event reads them anew', async () => {
    await run('/test all');
    await run('/test all');
    expect(h.gh.reads.files).toBe(2);
  });

  it('a forced /test <job> with no file filter never reads them', async () => {
    await run('/test e2e');
    expect(h.gh.reads.files).toBe(0);
  });
});
