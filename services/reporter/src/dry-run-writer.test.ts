import { describe, expect, it } from 'vitest';
import type { Log } from '@jetprow/bus';
import { dryRunWriter } from './dry-run-writer.js';

describe('dryRunWriter', () => {
  it('logs the status it would write and resolves', async () => {
    const lines: { obj: object; msg?: string }[] = [];
    const log: Log = {
      debug() {},
      info: (obj, msg) => lines.push({ obj, msg }),
      warn() {},
      error() {},
      child: () => log,
    };
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
