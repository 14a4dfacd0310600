// Option groups: each validates its own flags; a command refuses any flag outside the groups it
// composes (a flag is used or refused, never ignored); --help is generated from the groups.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALL_GROUPS,
  BASE_GROUPS,
  dataDirOptions,
  githubOptions,
  githubWriteOptions,
  kubernetesOptions,
  parseFlags,
  parseWriteLimits,
  usageText,
  UsageError,
  type OptionGroup,
} from './index.js';

const parseWith = <const G extends readonly OptionGroup[]>(groups: G, argv: string[]) => {
  const r = parseFlags(argv, groups, { command: 'svc', known: ALL_GROUPS });
  if (r.help) throw new Error('help');
  return r;
};
const parseOptions = (argv: string[]) => parseWith([kubernetesOptions], argv);

const dir = mkdtempSync(join(tmpdir(), 'kube-flags-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, '{}');

describe('--kubeconfig / --in-cluster', () => {
  beforeEach(() => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '10.96.0.1');
    vi.stubEnv('KUBERNETES_SERVICE_PORT', '443');
  });
  afterEach(() => vi.unstubAllEnvs());

  const ok = [
    {
      name: 'neither: the embedded default',
      argv: [],
      want: { kubeconfig: undefined, inCluster: false },
    },
    {
      name: "--kubeconfig FILE (Prow's flag)",
      argv: [`--kubeconfig=${kubeconfig}`],
      want: { kubeconfig, inCluster: false },
    },
    {
      name: '--in-cluster alone means true',
      argv: ['--in-cluster'],
      want: { kubeconfig: undefined, inCluster: true },
    },
    {
      name: '--in-cluster=false',
      argv: ['--in-cluster=false'],
      want: { kubeconfig: undefined, inCluster: false },
    },
  ];
  for (const tc of ok) {
    it(tc.name, () => expect(parseOptions(tc.argv)).toMatchObject(tc.want));
  }

  const bad = [
    {
      name: 'a kubeconfig that cannot be read',
      argv: [`--kubeconfig=${join(dir, 'nope')}`],
      msg: '--kubeconfig: cannot read',
    },
    {
      name: 'both',
      argv: [`--kubeconfig=${kubeconfig}`, '--in-cluster'],
      msg: 'mutually exclusive',
    },
    {
      name: 'a non-boolean --in-cluster',
      argv: ['--in-cluster=maybe'],
      msg: '--in-cluster: expected true or false',
    },
  ];
  it('--in-cluster outside a Pod', () => {
    vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
    expect(() => parseOptions(['--in-cluster'])).toThrow(
      '--in-cluster: KUBERNETES_SERVICE_HOST/PORT are not set',
    );
  });

  for (const tc of bad) {
    it(tc.name, () => {
      expect(() => parseOptions(tc.argv)).toThrow(UsageError);
      expect(() => parseOptions(tc.argv)).toThrow(tc.msg);
    });
  }
});

describe('a command refuses the flags of groups it does not compose', () => {
  const groups = [...BASE_GROUPS, dataDirOptions];
  const rows: { argv: string[]; error?: RegExp }[] = [
    { argv: ['--nats-url=nats://x:1', '--data-dir', '/d'] },
    { argv: ['--dry-run=false'] }, // the behaviour of a service that writes nothing to GitHub
    { argv: ['--dry-run'], error: /^--dry-run: svc has no dry-run mode/ },
    { argv: ['--dry-run=true'], error: /^--dry-run: svc has no dry-run mode/ },
    { argv: ['--port=1'], error: /^--port: svc does not use this flag$/ },
    { argv: ['--kubeconfig', '/k'], error: /^--kubeconfig: svc does not use this flag$/ },
    { argv: ['--nope'], error: /^unknown flag '--nope'/ },
    { argv: ['stray'], error: /^unexpected argument "stray"$/ },
    { argv: ['--health-port=x'], error: /^--health-port: "x" is not a port number/ },
    { argv: ['--log-level=loud'], error: /^--log-level: "loud" is not one of trace, debug/ },
    { argv: ['--nats-url=http://x'], error: /^--nats-url: "http:\/\/x" is not a NATS URL/ },
  ];
  for (const { argv, error } of rows) {
    it(`${argv.join(' ')}: ${error ? 'refused' : 'accepted'}`, () => {
      const call = () => parseWith(groups, argv);
      if (!error) return expect(call).not.toThrow();
      expect(call).toThrow(UsageError);
      expect(call).toThrow(error);
    });
  }

  it('--help wins over everything else that is well-formed', () => {
    expect(
      parseFlags(['--port=1', '--help'], groups, { command: 'svc', known: ALL_GROUPS }),
    ).toEqual({
      help: true,
    });
  });

  it('a missing required flag is named', () => {
    expect(() =>
      parseFlags([], groups, { command: 'svc', known: ALL_GROUPS, required: ['nats-url'] }),
    ).toThrow(/^--nats-url is required$/);
  });

  it('yields each group’s defaults', () => {
    expect(parseWith(groups, [])).toMatchObject({
      healthPort: 8081,
      metricsPort: 9090,
      logLevel: 'info',
      dataDir: '.jetprow',
    });
  });
});

describe('GitHub groups', () => {
  const key = join(dir, 'key.pem');
  writeFileSync(key, 'pem');
  const token = join(dir, 'token');
  writeFileSync(token, 't');
  const gh = [githubOptions, githubWriteOptions];
  it('dry-run defaults to true without credentials and false with them (Prow: true)', () => {
    expect(parseWith(gh, []).dryRun).toBe(true);
    expect(parseWith(gh, [`--github-token-path=${token}`]).dryRun).toBe(false);
    expect(
      parseWith(gh, ['--github-app-id=7', `--github-app-private-key-path=${key}`]).dryRun,
    ).toBe(false);
    expect(parseWith(gh, [`--github-token-path=${token}`, '--dry-run']).dryRun).toBe(true);
  });
  it('refuses a token with an App, half an App, and a non-http endpoint', () => {
    expect(() => parseWith(gh, [`--github-token-path=${token}`, '--github-app-id=7'])).toThrow(
      'cannot be combined',
    );
    expect(() => parseWith(gh, ['--github-app-id=7'])).toThrow('must be given together');
    expect(() => parseWith(gh, ['--github-endpoint=ftp://x'])).toThrow(
      '--github-endpoint: "ftp://x" is not an http(s) URL',
    );
  });
  it('--github-endpoint may repeat; the default is api.github.com', () => {
    expect(parseWith(gh, []).githubEndpoint).toEqual(['https://api.github.com']);
    expect(
      parseWith(gh, ['--github-endpoint=http://a', '--github-endpoint', 'http://b']).githubEndpoint,
    ).toEqual(['http://a', 'http://b']);
  });
  it('--github-write-limits reads Go durations (the one duration parser)', () => {
    expect(parseWriteLimits('80/1m,500/1h')).toEqual([
      { count: 80, windowMs: 60_000 },
      { count: 500, windowMs: 3_600_000 },
    ]);
    expect(parseWriteLimits('5/1m30s')).toEqual([{ count: 5, windowMs: 90_000 }]);
    expect(parseWriteLimits('2/500ms')).toEqual([{ count: 2, windowMs: 500 }]);
    for (const bad of ['80', '0/1m', '5/1x', '5/-1m', '5/0s']) {
      expect(() => parseWriteLimits(bad), bad).toThrow(/is not COUNT\/DURATION/);
    }
  });
});

describe('--help from the groups', () => {
  const text = usageText({
    command: 'svc',
    groups: [dataDirOptions, ...BASE_GROUPS],
    required: ['nats-url'],
    summary: 'Does things.',
  });
  it('names the required flags in the synopsis and lists exactly the groups’ flags', () => {
    expect(text).toMatch(/^Usage: jetprow svc --nats-url URL \[flags\]\n\nDoes things\.\n/);
    const listed = [...text.matchAll(/^ {2}--([a-z-]+)/gm)].map((m) => m[1]);
    const flags = [dataDirOptions, ...BASE_GROUPS].flatMap((g) => g.flags.map((f) => f.name));
    expect(listed).toEqual(flags);
    expect(text).toMatch(/--nats-url URL +the NATS server \(JetStream enabled\) \(required\)/);
    expect(text).toMatch(
      /--data-dir DIR +the local runner's build directories \(default \.jetprow\)/,
    );
  });
});
