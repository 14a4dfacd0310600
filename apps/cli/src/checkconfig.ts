// `jetprow checkconfig`: Prow's checkconfig. On a config that loads: the job counts on stdout and
// each warning on stderr, exit 0 (exit 1 with --strict if there is any warning). Otherwise every
// error on stderr, exit 1. Bad flags: exit 2.
import { parseArgs } from 'node:util';
import { checkConfig, Warnings, ALL_WARNINGS, DEFAULT_WARNINGS } from '@jetprow/config';

const USAGE = `Usage: jetprow checkconfig --config-path FILE [--job-config-path PATH] [--plugin-config FILE]
                           [--strict] [--warnings NAME]... [--exclude-warning NAME]...
                           [--include-default-warnings] [--expensive-checks]
                           [--required-job-annotations NAME]...

Loads config.yaml, the job config and plugins.yaml as Prow's components would (unknown plugins
refused), prints every error, then runs Prow's warning checks.

  --warnings NAME             run this check (repeatable, or a comma list); with none given, the
                              default set runs
  --exclude-warning NAME      do not run this check (repeatable)
  --include-default-warnings  run the default set as well as those named
  --expensive-checks          with the default set, run every check
  --strict                    warnings are errors (exit 1)
  --required-job-annotations  annotation every job must have (required-job-annotations; repeatable)

What each check does, and the Prow rules jetprow lacks: docs/checkconfig.md.

Default warnings: ${DEFAULT_WARNINGS.join(', ')}
Other warnings: ${ALL_WARNINGS.filter((w) => !DEFAULT_WARNINGS.includes(w)).join(', ')}
`;

const GITHUB_CHECKS: readonly string[] = [
  Warnings.verifyOwnersPresence,
  Warnings.validateGitHubAppInstallation,
];

export async function runCheckConfig(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'config-path': { type: 'string' },
        'job-config-path': { type: 'string' },
        'plugin-config': { type: 'string' },
        warnings: { type: 'string', multiple: true },
        'exclude-warning': { type: 'string', multiple: true },
        'include-default-warnings': { type: 'boolean' },
        'expensive-checks': { type: 'boolean' },
        'required-job-annotations': { type: 'string', multiple: true },
        strict: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`jetprow checkconfig: ${(err as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const configPath = values['config-path'];
  if (!configPath) {
    process.stderr.write('jetprow checkconfig: --config-path is required\n');
    return 2;
  }
  const named = (values.warnings ?? []).flatMap((w) => w.split(','));
  const excluded = (values['exclude-warning'] ?? []).flatMap((w) => w.split(','));
  const wantsGitHub = GITHUB_CHECKS.filter(
    (w) => (named.includes(w) || values['expensive-checks']) && !excluded.includes(w),
  );
  if (wantsGitHub.length > 0) {
    const verb = wantsGitHub.length > 1 ? 'read' : 'reads';
    const message = `${wantsGitHub.join(', ')} ${verb} GitHub, which jetprow checkconfig does not (exclude with --exclude-warning)`;
    process.stderr.write(`jetprow checkconfig: ${message}\n`);
    return 2;
  }
  let res;
  try {
    res = checkConfig(
      {
        configPath,
        jobConfigPath: values['job-config-path'],
        pluginConfigPath: values['plugin-config'],
      },
      {
        warnings: named,
        excludeWarnings: excluded,
        includeDefaultWarnings: values['include-default-warnings'],
        expensive: values['expensive-checks'],
        requiredJobAnnotations: values['required-job-annotations'],
        strict: values.strict,
      },
    );
  } catch (err) {
    // A --warnings name Prow does not know.
    process.stderr.write(`jetprow checkconfig: invalid options: ${(err as Error).message}\n`);
    return 2;
  }
  if (res.summary === undefined) {
    for (const e of res.errors) process.stderr.write(`${e}\n`);
    process.stderr.write(`${res.errors.length} error(s)\n`);
    return 1;
  }
  process.stdout.write(`${res.summary}\n`);
  for (const w of res.warnings) process.stderr.write(`warning: ${w}\n`);
  if (res.warnings.length > 0) process.stderr.write(`${res.warnings.length} warning(s)\n`);
  if (!res.ok) {
    process.stderr.write('Strict is set and there were warnings\n');
    return 1;
  }
  return 0;
}
