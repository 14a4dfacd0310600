// `jetprow <command> [flags]`: one entry for every service and operator command.
import { runService, type ServiceDefinition } from '@jetprow/service';

const USAGE = `Usage: jetprow <command> [flags]

Services (each its own process; run as many replicas as you like against one --nats-url):
  hook        receive GitHub webhooks, validate, publish them onto JetStream
  trigger     turn events into ProwJobs (the trigger plugin)
  plank       run ProwJobs as builds, sharded by job hash
  reporter    the only GitHub writer: commit statuses
  sinker      garbage-collect old ProwJobs and builds, on a bus timer
  all         start nats-server (unless --nats-url) and all five services on this machine

Operator commands:
  phony       send a signed sample webhook to hook (Prow's phony)
  checkconfig validate config.yaml, job config and plugins.yaml
  fakegithub  serve the in-repo fake GitHub API (local sandbox and tests)

Run 'jetprow <command> --help' for a command's flags.
`;

type Command = () => Promise<{
  definition?: ServiceDefinition;
  run?: (argv: string[]) => Promise<number>;
}>;

const commands: Record<string, Command> = {
  hook: async () => ({ definition: (await import('@jetprow/hook/main')).service }),
  trigger: async () => ({ definition: (await import('@jetprow/trigger/main')).service }),
  plank: async () => ({ definition: (await import('@jetprow/plank/main')).service }),
  reporter: async () => ({ definition: (await import('@jetprow/reporter/main')).service }),
  sinker: async () => ({ definition: (await import('@jetprow/sinker/main')).service }),
  all: async () => ({ run: (await import('./all.js')).runAll }),
  phony: async () => ({ run: (await import('./phony.js')).runPhony }),
  checkconfig: async () => ({ run: (await import('./checkconfig.js')).runCheckConfig }),
  fakegithub: async () => ({ run: (await import('./fakegithub.js')).runFakeGitHub }),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`jetprow: unknown command "${name}" (see 'jetprow --help')\n`);
    return 2;
  }
  const { definition, run } = await command();
  if (definition) return runService(definition, rest);
  return run!(rest);
}
