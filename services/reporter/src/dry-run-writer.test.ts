import { describe, expect, it } from 'vitest';
import type { Log } from '@jetprow/bus';
import { dryRunWriter } from './dry-run-writer.js';

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
