// Pushes run postsubmits (pkg/plugins/trigger/push.go handlePE), one row per rule.
import { describe, expect, it } from 'vitest';
import {
  BASE,
  HEAD,
  SPEC,
  jobNames,
  loadTestConfig,
  pushEvent,
  useTriggerHarness,
  type TriggerHarness,
} from '../testing/test-support.js';

const cfg = loadTestConfig(`
postsubmits:
  o/r:
  - name: post-build
    branches: [^main$]
    labels: {team: infra}
    annotations: {owner: sig}
    ${SPEC}
`);

let h: TriggerHarness;
useTriggerHarness((x) => (h = x), cfg);

describe('push events (handlePE)', () => {
  const ignored: { name: string; extra: Record<string, unknown> }[] = [
    { name: 'branch deletions are ignored', extra: { deleted: true } },
    { name: 'an all-zero after SHA is ignored', extra: { after: '0'.repeat(40) } },
  ];
  for (const tc of ignored) {
    it(tc.name, async () =>
      expect(await h.run(pushEvent('refs/heads/main', tc.extra))).toEqual([]),
    );
  }

  it("a push creates postsubmits with Prow's refs: base_ref the branch, base_sha after, base_link compare", async () => {
    const [job] = await h.run(pushEvent('refs/heads/main'));
    expect(job!.spec).toMatchObject({
      type: 'postsubmit',
      job: 'post-build',
      context: 'post-build',
      report: true,
    });
    expect(job!.spec.refs).toEqual({
      org: 'o',
      repo: 'r',
      repo_link: 'https://github.com/o/r',
      base_ref: 'main',
      base_sha: HEAD,
      base_link: 'https://github.com/o/r/compare/b...a',
    });
    expect(job!.spec.refs?.base_sha).not.toBe(BASE);
  });

  it('labels: the job labels plus event-GUID and the standard ones, no is-optional; annotations kept', async () => {
    const ev = pushEvent('refs/heads/main');
    const [job] = await h.run(ev);
    expect(job!.metadata.labels).toMatchObject({
      team: 'infra',
      'event-GUID': ev.delivery,
      'prow.k8s.io/type': 'postsubmit',
      'prow.k8s.io/refs.base_ref': 'main',
    });
    expect(job!.metadata.labels?.['prow.k8s.io/is-optional']).toBeUndefined();
    expect(job!.metadata.annotations).toMatchObject({ owner: 'sig' });
  });

  it('the same push delivered twice creates nothing new', async () => {
    const ev = pushEvent('refs/heads/main');
    const first = await h.run(ev);
    const before = (await h.store.list()).length;
    expect((await h.run(ev)).map((j) => j.metadata.name)).toEqual(
      first.map((j) => j.metadata.name),
    );
    expect((await h.store.list()).length).toBe(before);
  });

  it('a push to a branch no postsubmit wants creates nothing', async () => {
    expect(jobNames(await h.run(pushEvent('refs/heads/dev')))).toEqual([]);
  });
});
