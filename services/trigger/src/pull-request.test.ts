// trigger's pull_request handling (pkg/plugins/trigger/pull-request.go handlePR), one row per
// action and rule, against a real nats-server + KV JobStore.
import { describe, expect, it } from 'vitest';
import { ABORTED_DESCRIPTION } from './pull-request.js';
import {
  HEAD,
  bodyOf,
  intentKinds,
  jobNames,
  loadTestConfig,
  prEvent,
  useTriggerHarness,
  type PrOptions,
  type TriggerHarness,
} from '../testing/test-support.js';
import { DRAFT_MESSAGE } from './welcome.js';

let h: TriggerHarness;
useTriggerHarness((x) => (h = x));

const BASE_CHANGE = { changes: { base: { ref: { from: 'old' }, sha: { from: 'c'.repeat(40) } } } };
const run = (action: string, extra: Record<string, unknown> = {}, o: PrOptions = {}) =>
  h.run(prEvent(action, extra, o));

describe('pull_request actions (handlePR)', () => {
  const cases: {
    name: string;
    action: string;
    extra?: Record<string, unknown>;
    o?: PrOptions;
    want: string[];
    intents?: string[];
  }[] = [
    { name: 'opened by a trusted author: run all', action: 'opened', want: ['unit'] },
    {
      name: 'opened by the bot: trusted, run all',
      action: 'opened',
      o: { author: 'bot' },
      want: ['unit'],
    },
    {
      name: 'opened as a draft by a trusted author: the draft comment, no jobs',
      action: 'opened',
      o: { draft: true },
      want: [],
      intents: ['comment'],
    },
    {
      name: 'opened by an untrusted author: needs-ok-to-test and the welcome comment, no jobs',
      action: 'opened',
      o: { author: 'stranger' },
      want: [],
      intents: ['add-label:needs-ok-to-test', 'comment'],
    },
    {
      name: 'opened by an untrusted author already labelled ok-to-test: welcome only',
      action: 'opened',
      o: { author: 'stranger', labels: ['ok-to-test'] },
      want: [],
      intents: ['comment'],
    },
    { name: 'reopened, trusted: run all', action: 'reopened', want: ['unit'] },
    {
      name: 'reopened, untrusted: nothing',
      action: 'reopened',
      o: { author: 'stranger' },
      want: [],
      intents: [],
    },
    {
      name: 'reopened, untrusted but ok-to-test: remove needs-ok-to-test, run all',
      action: 'reopened',
      o: { author: 'stranger', labels: ['ok-to-test', 'needs-ok-to-test'] },
      want: ['unit'],
      intents: ['remove-label:needs-ok-to-test'],
    },
    {
      name: 'reopened by a trusted author: needs-ok-to-test is left alone (Prow reads no labels then)',
      action: 'reopened',
      o: { labels: ['needs-ok-to-test'] },
      want: ['unit'],
      intents: [],
    },
    {
      name: 'reopened as a draft: drafts never run automatically',
      action: 'reopened',
      o: { draft: true },
      want: [],
    },
    { name: 'ready_for_review, trusted: run all', action: 'ready_for_review', want: ['unit'] },
    {
      name: 'ready_for_review, untrusted: nothing',
      action: 'ready_for_review',
      o: { author: 'stranger' },
      want: [],
    },
    {
      name: 'edited with a base change, trusted: run all',
      action: 'edited',
      extra: BASE_CHANGE,
      want: ['unit'],
    },
    {
      name: 'edited with a base change, untrusted: nothing',
      action: 'edited',
      extra: BASE_CHANGE,
      o: { author: 'stranger' },
      want: [],
    },
    {
      name: 'edited without a base change (title, body): nothing',
      action: 'edited',
      extra: { changes: { title: { from: 'x' } } },
      want: [],
    },
    {
      name: 'synchronize, trusted: run all',
      action: 'synchronize',
      extra: { before: 'c'.repeat(40), after: HEAD },
      want: ['unit'],
    },
    {
      name: 'synchronize, untrusted: nothing new',
      action: 'synchronize',
      o: { author: 'stranger' },
      want: [],
    },
    {
      name: 'labeled lgtm on an untrusted PR: run all once',
      action: 'labeled',
      extra: { label: { name: 'lgtm' } },
      o: { author: 'stranger' },
      want: ['unit'],
    },
    {
      name: 'labeled lgtm on a trusted PR: nothing (it ran already)',
      action: 'labeled',
      extra: { label: { name: 'lgtm' } },
      want: [],
    },
    {
      name: 'labeled ok-to-test by a person: run all',
      action: 'labeled',
      extra: { label: { name: 'ok-to-test' } },
      o: { author: 'stranger', sender: 'member' },
      want: ['unit'],
    },
    {
      name: 'labeled ok-to-test by the bot: nothing (the /ok-to-test comment ran the jobs)',
      action: 'labeled',
      extra: { label: { name: 'ok-to-test' } },
      o: { author: 'stranger', sender: 'bot' },
      want: [],
    },
    {
      name: 'labeled ok-to-test on a draft: drafts never run automatically',
      action: 'labeled',
      extra: { label: { name: 'ok-to-test' } },
      o: { draft: true },
      want: [],
    },
    {
      name: 'labeled with another label: nothing',
      action: 'labeled',
      extra: { label: { name: 'kind/bug' } },
      want: [],
    },
    { name: 'other actions (assigned): nothing', action: 'assigned', want: [] },
    {
      name: 'a repo without presubmits: nothing',
      action: 'opened',
      o: { repo: 'nothing' },
      want: [],
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      expect(jobNames(await run(tc.action, tc.extra, tc.o))).toEqual(tc.want);
      if (tc.intents) expect(intentKinds(h.responder.intents)).toEqual(tc.intents);
    });
  }

  it("the draft comment is Prow's", async () => {
    await run('opened', {}, { draft: true });
    expect(bodyOf(h.responder.intents[0])).toBe(DRAFT_MESSAGE);
  });

  it('a trusted draft still runs an explicit /test in its body (PR bodies are comments)', async () => {
    expect(jobNames(await run('opened', {}, { draft: true, body: '/test e2e' }))).toEqual(['e2e']);
  });
});

describe('aborting (abortAllJobs)', () => {
  const abortCases: {
    name: string;
    action: string;
    extra?: Record<string, unknown>;
    o?: PrOptions;
  }[] = [
    {
      name: 'synchronize aborts the unfinished presubmits of the PR, then runs all',
      action: 'synchronize',
      extra: { before: HEAD, after: 'c'.repeat(40) },
      o: { head: 'c'.repeat(40) },
    },
    { name: 'closed aborts unfinished presubmits', action: 'closed' },
    {
      name: 'converted_to_draft aborts unfinished presubmits',
      action: 'converted_to_draft',
      o: { draft: true },
    },
    {
      name: 'synchronize on an untrusted PR aborts too',
      action: 'synchronize',
      o: { author: 'stranger', head: 'd'.repeat(40) },
    },
  ];
  for (const tc of abortCases) {
    it(tc.name, async () => {
      const old = await run('opened', {}, { head: 'f'.repeat(40) });
      const fresh = await run(tc.action, tc.extra, tc.o);
      const oldNow = await h.store.get(old[0]!.metadata.name);
      expect(oldNow?.status).toMatchObject({ state: 'aborted', description: ABORTED_DESCRIPTION });
      for (const j of fresh)
        expect((await h.store.get(j.metadata.name))?.status.state).toBe('triggered');
    });
  }

  it('complete jobs are not aborted', async () => {
    const [done] = await run('opened', {}, { head: '1'.repeat(40) });
    await h.store.update({
      ...done!,
      status: { ...done!.status, state: 'success', completionTime: new Date().toISOString() },
    });
    await run('closed');
    expect((await h.store.get(done!.metadata.name))?.status.state).toBe('success');
  });
});

describe('the welcome comment (welcomeMsg)', () => {
  const welcome = (more: string, guidance: string) =>
    "Hi @stranger. Thanks for your PR.\n\nI'm waiting for a [o](https://github.com/orgs/o/people) " +
    more +
    'member to verify that this patch is reasonable to test. If it is, they should reply with `/ok-to-test` on its own line. Until that is done, I will not automatically test new commits in this PR, but the usual testing commands by org members will still work.\n\n' +
    guidance +
    '\n\nOnce the patch is verified, the new status will be reflected by the `ok-to-test` label.\n\n' +
    'I understand the commands that are listed [here](https://go.k8s.io/bot-commands?repo=o%2Fr).\n\n<details>\n\n' +
    'Instructions for interacting with me using PR comments are available [here](https://git.k8s.io/community/contributors/guide/pull-requests.md).  If you have questions or suggestions related to my behavior, please file an issue against the [kubernetes-sigs/prow](https://github.com/kubernetes-sigs/prow/issues/new?title=Prow%20issue:) repository.\n</details>\n';
  const regular = (url: string) =>
    `Regular contributors should [join the org](${url}) to skip this step.`;
  const triggers = (t: string) =>
    `plugins:\n  o:\n    plugins: [trigger]\ntriggers:\n- repos: [o]\n${t}`;
  const tip =
    ">[!TIP]\n>**We noticed you've done this a few times! Consider [joining the org](https://github.com/orgs/o/people) to skip this step and gain `/lgtm` and other bot rights.** We recommend asking approvers on your previous PRs to sponsor you.";

  const cases: {
    name: string;
    triggerCfg?: string;
    merged?: number;
    authorType?: string;
    want: string;
  }[] = [
    {
      name: "Prow's text, linking the org",
      want: welcome('', regular('https://github.com/orgs/o/people')),
    },
    {
      name: 'join_org_url replaces the org people link in the guidance',
      triggerCfg: '  join_org_url: https://example.com/join\n',
      want: welcome('', regular('https://example.com/join')),
    },
    {
      name: 'trusted_org is named as a second org',
      triggerCfg: '  trusted_org: trusted\n',
      want: welcome(
        'or [trusted](https://github.com/orgs/trusted/people) ',
        regular('https://github.com/orgs/trusted/people'),
      ),
    },
    {
      name: 'an author with 3 merged PRs gets the prominent tip',
      merged: 3,
      want: welcome('', tip),
    },
    {
      name: 'fewer merged PRs than merged_pr_threshold: the regular guidance',
      triggerCfg: '  org_invite: {prominent: {merged_pr_threshold: 5}}\n',
      merged: 4,
      want: welcome('', regular('https://github.com/orgs/o/people')),
    },
    {
      name: 'a custom prominent message with {join_org_url}',
      triggerCfg: '  org_invite: {prominent: {message: "Join us: {join_org_url}"}}\n',
      merged: 9,
      want: welcome('', 'Join us: https://github.com/orgs/o/people'),
    },
    {
      name: 'prominent disabled: the regular guidance',
      triggerCfg: '  org_invite: {prominent: {disabled: true}}\n',
      merged: 9,
      want: welcome('', regular('https://github.com/orgs/o/people')),
    },
    {
      name: 'bot authors never get the prominent tip',
      merged: 9,
      authorType: 'Bot',
      want: welcome('', regular('https://github.com/orgs/o/people')),
    },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      if (tc.triggerCfg) h.reset(loadTestConfig(undefined, triggers(tc.triggerCfg)));
      h.gh.merged = tc.merged ?? 0;
      await run('opened', {}, { author: 'stranger', authorType: tc.authorType });
      expect(bodyOf(h.responder.intents.find((i) => i.kind === 'comment'))).toBe(tc.want);
    });
  }

  it('with ignore_ok_to_test: the other text and no needs-ok-to-test label', async () => {
    h.reset(loadTestConfig(undefined, triggers('  ignore_ok_to_test: true\n')));
    await run('opened', {}, { author: 'stranger' });
    expect(intentKinds(h.responder.intents)).toEqual(['comment']);
    expect(bodyOf(h.responder.intents[0])).toContain(
      'Hi @stranger. Thanks for your PR.\n\nPRs from untrusted users cannot be marked as trusted with `/ok-to-test` in this repo meaning untrusted PR authors can never trigger tests themselves. Collaborators can still trigger tests on the PR using `/test all`.\n\nI understand the commands',
    );
  });
});
