// `jetprow checkconfig` as a user meets it: Prow's flags (--strict, --warnings, --exclude-warning),
// the job counts on stdout, every warning and error on stderr naming file:line:col, job and field,
// and the exit code (0 fine, 1 errors or --strict warnings, 2 bad flags).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runJetprow } from '@jetprow/testing';

const jetprow = (...args: string[]) => runJetprow('checkconfig', ...args);

const fx = join(repoRoot, 'fixtures/kubernetes-test-infra/config');
const k8s = [
  `--config-path=${fx}/prow/config.yaml`,
  `--job-config-path=${fx}/jobs`,
  `--plugin-config=${fx}/prow/plugins.yaml`,
];
let dir: string;
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jetprow-checkconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jetprow checkconfig', { timeout: 120_000 }, () => {
  it("--strict on Kubernetes' config: the counts, Prow's default warnings, exit 1", async () => {
    const r = await jetprow(...k8s, '--strict');
    expect(r.stdout).toBe('2261 presubmits, 253 postsubmits, 1335 periodics\n');
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => l.endsWith('[long-job-names]'))).toHaveLength(320);
    expect(lines.filter((l) => l.endsWith('[mismatched-tide]'))).toHaveLength(3);
    expect(lines.filter((l) => l.endsWith('[periodic-default-clone-config]'))).toHaveLength(20);
    expect(lines.slice(-2)).toEqual(['343 warning(s)', 'Strict is set and there were warnings']);
    expect(r.code).toBe(1);
  });

  it("Kubernetes' own presubmit flags: no warning, exit 0 (as Prow's heartbeat job)", async () => {
    const r = await jetprow(
      ...k8s,
      '--strict',
      '--warnings=mismatched-tide-lenient,tide-strict-branch,needs-ok-to-test',
      '--warnings=validate-owners',
      '--warnings=missing-trigger',
      '--warnings=validate-urls',
      '--warnings=unknown-fields',
      '--warnings=duplicate-job-refs',
      '--warnings=unknown-fields-all',
      '--warnings=non-decorated-jobs',
      '--warnings=valid-decoration-config',
    );
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({
      code: 0,
      stdout: '2261 presubmits, 253 postsubmits, 1335 periodics\n',
      stderr: '',
    });
  });

  it('warnings without --strict are printed and exit 0; --exclude-warning drops one', async () => {
    const config = file('c1.yaml', '');
    const jobs = file(
      'j1.yaml',
      'periodics:\n- name: p\n  interval: 1h\n  spec: {containers: [{image: x}]}\n',
    );
    const r = await jetprow(`--config-path=${config}`, `--job-config-path=${jobs}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${jobs}: job "p": field decorate: the job uses the kubernetes provider but does not use the pod utilities [non-decorated-jobs]`,
    );
    const excluded = await jetprow(
      `--config-path=${config}`,
      `--job-config-path=${jobs}`,
      '--exclude-warning=non-decorated-jobs',
      '--strict',
    );
    expect({ code: excluded.code, stderr: excluded.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('unknown-fields-all: `alwyas_run` at file:line:col, with the field meant', async () => {
    const config = file('c2.yaml', '');
    const jobs = file(
      'j2.yaml',
      'presubmits:\n  o/r:\n  - name: pull-x\n    alwyas_run: true\n    spec: {containers: [{image: x}]}\n',
    );
    const r = await jetprow(
      `--config-path=${config}`,
      `--job-config-path=${jobs}`,
      '--warnings=unknown-fields-all',
      '--strict',
    );
    expect(r.stderr).toContain(
      `warning: ${jobs}:4:5: job "pull-x": field presubmits.o/r[0].alwyas_run: unknown field "alwyas_run" (did you mean "always_run"?) [unknown-fields-all]`,
    );
    expect(r.code).toBe(1);
  });

  it('an unknown plugin name is an error (Prow checkconfig’s CheckUnknownPlugins)', async () => {
    const config = file('c3.yaml', '');
    const plugins = file('p3.yaml', 'plugins:\n  org:\n    plugins: [trigger, no-such-plugin]\n');
    const r = await jetprow(`--config-path=${config}`, `--plugin-config=${plugins}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${plugins}:3:24: field plugins.org.plugins[1]: unknown plugin: no-such-plugin`,
    );
    expect(r.stdout).toBe('');
  });

  it('every error of every section at once, then the count', async () => {
    const config = file(
      'c4.yaml',
      'tide:\n  target_url: https://a\n  target_urls: {"*": https://b}\ndeck:\n  spyglass: {size_limit: -1}\n',
    );
    const r = await jetprow(`--config-path=${config}`);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${config}:2:15: field tide.target_url: tide.target_url and tide.target_urls are mutually exclusive`,
      `${config}:5:26: field deck.spyglass.size_limit: invalid value for deck.spyglass.size_limit, must be >=0`,
      '2 error(s)',
    ]);
  });

  it('bad flags exit 2: an unknown warning name (Prow’s text), a GitHub-only check, no --config-path', async () => {
    const config = file('c5.yaml', '');
    const unknown = await jetprow(`--config-path=${config}`, '--warnings=no-such-warning');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^jetprow checkconfig: invalid options: no such warning "no-such-warning", valid warnings: \[/,
    );
    const github = await jetprow(`--config-path=${config}`, '--expensive-checks');
    expect(github.code).toBe(2);
    expect(github.stderr).toContain(
      'verify-owners-presence, validate-github-app-installation read GitHub',
    );
    const missing = await jetprow('--strict');
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 2,
      stderr: 'jetprow checkconfig: --config-path is required\n',
    });
  });
});
