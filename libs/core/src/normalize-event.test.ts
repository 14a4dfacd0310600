import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { normalizeEvent, generalizeCommentAction } from './normalize-event.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const phony = (f: string): unknown =>
  JSON.parse(readFileSync(join(repoRoot, 'fixtures/prow/phony-examples', f), 'utf8'));
const at = new Date('2026-01-01T00:00:00Z');

describe("normalizeEvent on Prow's phony examples", () => {
  it('issue_comment on a PR becomes a created generic comment', () => {
    const e = normalizeEvent('issue_comment', 'g1', phony('test_comment.json'), at);
    expect(e).toMatchObject({
      delivery: 'g1',
      event: 'issue_comment',
      action: 'created',
      org: 'kubernetes',
      repo: 'test-infra',
    });
    expect(e.comment).toMatchObject({ action: 'created', is_pr: true });
    expect(e.comment!.body).toBe('/area kubectl');
  });

  it('pull_request carries the PR; only opened/edited bodies count as comments', () => {
    // Prow's opened_pr.json really says action "created", which GitHub never sends for PRs.
    const raw = phony('opened_pr.json') as Record<string, unknown>;
    const e = normalizeEvent('pull_request', 'g2', raw, at);
    expect(e.pull_request).toMatchObject({ state: 'open', draft: false });
    expect(e.pull_request!.head_sha).toMatch(/^[0-9a-f]{40}$/);
    expect(e.comment).toBeUndefined();
    const opened = normalizeEvent('pull_request', 'g2', { ...raw, action: 'opened' }, at);
    expect(opened.comment).toMatchObject({
      action: 'created',
      is_pr: true,
      number: e.pull_request!.number,
    });
  });

  it('push collects changed files from all commits', () => {
    const e = normalizeEvent('push', 'g3', phony('push.json'), at);
    expect(e.push!.ref).toMatch(/^refs\//);
    expect(Array.isArray(e.push!.changed_files)).toBe(true);
  });

  it('unknown events keep org and repo and nothing else', () => {
    const e = normalizeEvent(
      'ping',
      'g4',
      { zen: 'x', repository: { name: 'r', owner: { login: 'o' } } },
      at,
    );
    expect(e).toEqual({
      delivery: 'g4',
      event: 'ping',
      org: 'o',
      repo: 'r',
      received_at: at.toISOString(),
    });
  });

  it('garbage payloads normalize without throwing', () => {
    expect(() => normalizeEvent('pull_request', 'g5', 'not an object', at)).not.toThrow();
    expect(normalizeEvent('issue_comment', 'g6', { issue: null, comment: 7 }, at).org).toBe('');
  });
});

describe('GeneralizeCommentAction', () => {
  const cases: [string, string | undefined][] = [
    ['created', 'created'],
    ['opened', 'created'],
    ['submitted', 'created'],
    ['edited', 'edited'],
    ['deleted', 'deleted'],
    ['dismissed', 'deleted'],
    ['labeled', undefined],
    ['synchronize', undefined],
  ];
  for (const [a, want] of cases)
    it(`${a} → ${want}`, () => expect(generalizeCommentAction(a)).toBe(want));
});
