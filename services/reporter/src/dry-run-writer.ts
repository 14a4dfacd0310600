// `--dry-run`: log each write instead of making it. The reporter still records what it
// "reported", so a dry run shows each state change once, as a real run would write it.
import type { Log } from '@jetprow/bus';
import type { GitHubWriter } from './github-writer.js';

export function dryRunWriter(log: Log): GitHubWriter {
  return {
    async createStatus(s) {
      log.info({ dryRun: true, write: 'status', ...s }, 'dry run: would create status');
    },
  };
}
