// `jetprow checkconfig`: Prow's checkconfig. Exit 0 and a one-line summary on valid config;
// every error and exit 1 otherwise.
import { parseArgs } from 'node:util';
import { checkConfig } from '@jetprow/config';

const USAGE =
  'Usage: jetprow checkconfig --config-path FILE [--job-config-path PATH] [--plugin-config FILE]\n';

export async function runCheckConfig(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'config-path': { type: 'string' },
        'job-config-path': { type: 'string' },
        'plugin-config': { type: 'string' },
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
  if (!values['config-path']) {
    process.stderr.write('jetprow checkconfig: --config-path is required\n');
    return 2;
  }
  const res = checkConfig({
    configPath: values['config-path'] as string,
    jobConfigPath: values['job-config-path'] as string | undefined,
    pluginConfigPath: values['plugin-config'] as string | undefined,
  });
  if (res.ok) {
    process.stdout.write(`${res.summary}\n`);
    return 0;
  }
  for (const e of res.errors) process.stderr.write(`${e}\n`);
  process.stderr.write(`${res.errors.length} error(s)\n`);
  return 1;
}
