import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (this file is apps/cli/src/paths.ts). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const binPath = join(repoRoot, 'apps/cli/bin/jetprow.mjs');
export const demoDir = join(repoRoot, 'examples/demo');
export const demo = {
  config: join(demoDir, 'config.yaml'),
  jobs: join(demoDir, 'jobs'),
  plugins: join(demoDir, 'plugins.yaml'),
  hmac: join(demoDir, 'hmac-secret'),
  githubSeed: join(demoDir, 'github-seed.yaml'),
  payloads: join(repoRoot, 'services/hook/examples'),
};
