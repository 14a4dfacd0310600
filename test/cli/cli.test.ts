// The command line as a user meets it: one-line errors naming the flag or file, exit 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runJetprow, startNats, type NatsHarness } from '@jetprow/testing';

/** Runs the CLI without blocking the test worker (spawnSync would stall vitest's RPC). */
const jetprow = runJetprow;

let nats: NatsHarness;
let dir: string;
beforeAll(async () => {
  nats = await startNats();
  dir = mkdtempSync(join(tmpdir(), 'jetprow-cli-'));
  writeFileSync(join(dir, 'config.yaml'), 'prowjob_namespace: default\n');
  writeFileSync(
    join(dir, 'bad-jobs.yaml'),
    'presubmits:\n  o/r:\n  - name: "bad name!"\n    always_run: true\n    run_if_changed: "^x"\n    spec: {containers: [{image: x}]}\n',
  );
  writeFileSync(join(dir, 'bad-hmac'), 'o/r:\n  - value: 7\n    created_at: nope\n');
});
afterAll(async () => {
  await nats.stop();
});

describe('jetprow command line', { timeout: 120_000 }, () => {
  const usage: { name: string; args: () => string[]; stderr: RegExp }[] = [
    {
      name: 'unknown command',
      args: () => ['deploy'],
      stderr: /^jetprow: unknown command "deploy"/,
    },
    {
      name: 'unknown flag',
      args: () => ['trigger', '--bogus'],
      stderr: /^jetprow trigger: unknown flag '--bogus'/,
    },
    {
      name: 'missing --nats-url',
      args: () => ['trigger', `--config-path=${join(dir, 'config.yaml')}`],
      stderr: /^jetprow trigger: --nats-url is required$/m,
    },
    {
      name: 'missing --config-path',
      args: () => ['plank', `--nats-url=${nats.url}`],
      stderr: /^jetprow plank: --config-path is required$/m,
    },
    {
      name: 'missing config file',
      args: () => ['reporter', `--nats-url=${nats.url}`, '--config-path=/nonexistent/config.yaml'],
      stderr:
        /^jetprow reporter: --config-path: cannot read \/nonexistent\/config.yaml: no such file$/m,
    },
    {
      name: 'bad port',
      args: () => ['hook', '--health-port=http'],
      stderr: /^jetprow hook: --health-port: "http" is not a port number/,
    },
    {
      name: 'bad --dry-run value',
      args: () => ['reporter', '--dry-run=maybe'],
      stderr: /^jetprow reporter: --dry-run: expected true or false, got "maybe"/,
    },
    {
      name: 'missing --hmac-secret-file',
      args: () => ['hook', `--nats-url=${nats.url}`],
      stderr: /^jetprow hook: --hmac-secret-file is required$/m,
    },
    {
      name: 'bad HMAC secret file',
      args: () => [
        'hook',
        `--nats-url=${nats.url}`,
        `--hmac-secret-file=${join(dir, 'bad-hmac')}`,
        '--port=0',
        '--health-port=0',
        '--metrics-port=0',
      ],
      stderr: /--hmac-secret-file: .*bad-hmac/,
    },
    {
      name: 'a flag the service does not read',
      args: () => ['plank', `--nats-url=${nats.url}`, '--hmac-secret-file=/etc/hostname'],
      stderr: /^jetprow plank: --hmac-secret-file: plank does not use this flag$/m,
    },
    {
      name: '--dry-run on a service with no dry-run mode',
      args: () => ['sinker', `--nats-url=${nats.url}`, '--dry-run'],
      stderr:
        /^jetprow sinker: --dry-run: sinker has no dry-run mode \(only reporter writes to GitHub/m,
    },
    {
      name: 'a flag jetprow no longer has',
      args: () => ['all', '--replicas=3'],
      stderr: /^jetprow all: unknown flag '--replicas'/,
    },
    {
      name: 'phony with a missing payload file',
      args: () => ['phony', '--payload=/nonexistent.json', '--event=ping'],
      stderr: /^jetprow phony: --payload: cannot read JSON from \/nonexistent.json/,
    },
  ];
  for (const tc of usage) {
    it(`${tc.name}: one clear line, exit 2`, async () => {
      const r = await jetprow(...tc.args());
      expect(r.stderr).toMatch(tc.stderr);
      expect(r.code).toBe(2);
    });
  }

  it('invalid job config: every error names file, job and field, exit 2', async () => {
    const r = await jetprow(
      'trigger',
      `--nats-url=${nats.url}`,
      `--config-path=${join(dir, 'config.yaml')}`,
      `--job-config-path=${join(dir, 'bad-jobs.yaml')}`,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-jobs.yaml');
    expect(r.stderr).toMatch(/job "bad name!"/);
    expect(r.stderr).toMatch(/field (name|always_run|run_if_changed)/);
  });

  it('an unreachable NATS is named, exit 1', async () => {
    const r = await jetprow(
      'sinker',
      '--nats-url=nats://127.0.0.1:1',
      `--config-path=${join(dir, 'config.yaml')}`,
    );
    expect(r.stderr).toMatch(/^jetprow sinker: cannot connect to NATS at nats:\/\/127.0.0.1:1$/m);
    expect(r.code).toBe(1);
  });

  it('phony to a hook that is not running says so, exit 1', async () => {
    const r = await jetprow('phony', '--address=http://127.0.0.1:1/hook');
    expect(r.stderr).toMatch(/^jetprow phony: cannot reach http:\/\/127.0.0.1:1\/hook/);
    expect(r.code).toBe(1);
  });

  it('--help prints the usage, exit 0', async () => {
    const r = await jetprow('plank', '--help');
    expect(r.stdout).toMatch(/^Usage: jetprow plank/);
    expect(r.code).toBe(0);
  });

  it("checkconfig accepts Kubernetes' real Prow configuration with the README's counts", async () => {
    const fx = join(repoRoot, 'fixtures/kubernetes-test-infra/config');
    const r = await jetprow(
      'checkconfig',
      `--config-path=${fx}/prow/config.yaml`,
      `--job-config-path=${fx}/jobs`,
      `--plugin-config=${fx}/prow/plugins.yaml`,
    );
    expect(r.stdout.trim()).toBe('2261 presubmits, 253 postsubmits, 1335 periodics');
    expect(r.code).toBe(0);
  });

  it('checkconfig lists every error and exits 1', async () => {
    const r = await jetprow(
      'checkconfig',
      `--config-path=${join(dir, 'config.yaml')}`,
      `--job-config-path=${join(dir, 'bad-jobs.yaml')}`,
    );
    expect(r.code).toBe(1);
    expect(
      r.stderr.split('\n').filter((l) => l.includes('bad-jobs.yaml')).length,
    ).toBeGreaterThanOrEqual(2);
  });
});
