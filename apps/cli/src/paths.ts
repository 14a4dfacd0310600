import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (this module is apps/cli/src/paths.ts, or a chunk in apps/cli/dist/). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The bin that runs this same code: the built CLI, or the sources through tsx in development. */
export const binPath = join(
  repoRoot,
  import.meta.url.includes('/apps/cli/dist/')
    ? 'apps/cli/bin/jetprow.mjs'
    : 'apps/cli/bin/jetprow-dev.mjs',
);
export const demoDir = join(repoRoot, 'examples/demo');
export const demo = {
  config: join(demoDir, 'config.yaml'),
  jobs: join(demoDir, 'jobs'),
  plugins: join(demoDir, 'plugins.yaml'),
  hmac: join(demoDir, 'hmac-secret'),
  githubSeed: join(demoDir, 'github-seed.yaml'),
  payloads: join(repoRoot, 'services/hook/examples'),
};
