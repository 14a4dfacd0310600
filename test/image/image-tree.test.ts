// The image, without docker (it cannot run here): the file tree the Dockerfile's last stage copies,
// made the way its stages make it (a production install of the manifests, the workspace links
// dropped, the built CLI), then run as the image runs it, with NODE_ENV=production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { readdirSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@jetprow/testing';

const run = promisify(execFile);
/** The README's figure is checked here: the image's node_modules stays under this. */
const MAX_NODE_MODULES_MB = 150;

/** `COPY --from=STAGE SRC DST` lines of the Dockerfile's last stage. */
function lastStageCopies(): { from: string; src: string; dst: string }[] {
  const stages = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').split(/^FROM /m);
  return [...stages.at(-1)!.matchAll(/^COPY --from=(\w+) (\S+) (\S+)$/gm)].map((m) => ({
    from: m[1]!,
    src: m[2]!,
    dst: m[3]!,
  }));
}

function bytesOf(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, e) => n + bytesOf(join(path, e)), 0);
}

let tmp: string;
let image: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'jetprow-image-'));
  // Stage "deps": the manifests only, a production install, no workspace links.
  const deps = join(tmp, 'deps');
  const manifests = (
    await run('git', ['ls-files', '-co', '--exclude-standard'], { cwd: repoRoot })
  ).stdout
    .split('\n')
    .filter((f) => /(^|\/)package(-lock)?\.json$/.test(f) && !f.startsWith('fixtures/'));
  for (const f of manifests) {
    mkdirSync(dirname(join(deps, f)), { recursive: true });
    cpSync(join(repoRoot, f), join(deps, f));
  }
  await run(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: deps, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 1 << 24 },
  );
  rmSync(join(deps, 'node_modules/@jetprow'), { recursive: true, force: true });
  // Stage "build" is this checkout, built by the suite's global setup (scripts/build.mjs).
  const stages: Record<string, string> = { deps: join(deps), build: repoRoot };
  const stageRoot: Record<string, string> = { deps: '/app/', build: '/src/' };
  image = join(tmp, 'app');
  for (const c of lastStageCopies()) {
    const src = join(stages[c.from]!, c.src.replace(stageRoot[c.from]!, ''));
    cpSync(src, join(image, c.dst), { recursive: true, verbatimSymlinks: true });
  }
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const inImage = (...args: string[]) =>
  run(process.execPath, ['apps/cli/bin/jetprow.mjs', ...args], {
    cwd: image,
    env: { PATH: process.env.PATH, NODE_ENV: 'production' },
  });

describe('the image file tree (Dockerfile, last stage)', { timeout: 120_000 }, () => {
  it('copies the built CLI, production dependencies and the demo, and nothing else', () => {
    expect(lastStageCopies().map((c) => c.dst)).toContain('./apps/cli/dist');
    expect(existsSync(join(image, 'apps/cli/dist/main.js'))).toBe(true);
    expect(readdirSync(image).sort()).toEqual([
      'apps',
      'examples',
      'node_modules',
      'package.json',
      'services',
    ]);
    expect(existsSync(join(image, 'libs'))).toBe(false);
  });

  it(`holds no dev or test package, and node_modules is under ${MAX_NODE_MODULES_MB} MB`, () => {
    const nm = join(image, 'node_modules');
    for (const dev of [
      '@jetprow',
      '@octokit/openapi',
      'ajv',
      'vitest',
      'tsx',
      'esbuild',
      'typescript',
      'eslint',
      'kubernetes-models',
      '@octokit/webhooks-examples',
    ]) {
      expect(existsSync(join(nm, dev)), dev).toBe(false);
    }
    expect(existsSync(join(nm, '@kubernetes/client-node'))).toBe(true);
    const mb = bytesOf(nm) / 1e6;
    process.stdout.write(`image node_modules: ${mb.toFixed(1)} MB\n`);
    expect(mb).toBeLessThan(MAX_NODE_MODULES_MB);
    expect(statSync(join(image, 'apps/cli/dist/main.js')).size).toBeGreaterThan(0);
  });

  it('runs `jetprow --help` and `jetprow hook --help` with NODE_ENV=production', async () => {
    const top = await inImage('--help');
    expect(top.stdout).toMatch(/^Usage: jetprow <command>/);
    const hook = await inImage('hook', '--help');
    expect(hook.stdout).toMatch(/^Usage: jetprow hook --nats-url URL --hmac-secret-file FILE/);
  });

  it('runs real code from the bundle: checkconfig on the demo config', async () => {
    const r = await inImage(
      'checkconfig',
      '--config-path=examples/demo/config.yaml',
      '--job-config-path=examples/demo/jobs',
      '--plugin-config=examples/demo/plugins.yaml',
    );
    expect(r.stdout).toMatch(/^3 presubmits, 1 postsubmits, 0 periodics$/m);
  });
});
