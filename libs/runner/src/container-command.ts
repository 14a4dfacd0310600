// What a local build runs: `pod_spec.containers[0]` as Kubernetes would run it, without the
// image. Pure: command + args with `$(VAR)` references expanded, the container's env, the working
// directory. Names are checked here too, because a build's name becomes a directory name.
import type { ProwJob } from '@jetprow/schemas';
import { BuildStartError } from './job-runner.js';

export interface ContainerCommand {
  /** argv[0] and the rest: `command` followed by `args`. */
  argv: string[];
  /** The container's env (name/value), then the Prow env given to start(); later names win. */
  env: Record<string, string>;
  /** The container's `workingDir`, when set. */
  workingDir?: string;
}

const NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,252}$/;

/** A build name must be usable as one path segment (ProwJob names are DNS subdomains or UUIDs). */
export function isValidBuildName(name: string): boolean {
  return NAME.test(name) && name !== '.' && name !== '..';
}

/**
 * Kubernetes' `$(VAR)` expansion for command, args and env values: `$(NAME)` becomes the value
 * of NAME when it is defined and stays as written otherwise; `$$` is an escaped `$`.
 */
export function expandVars(value: string, vars: Readonly<Record<string, string>>): string {
  return value.replace(/\$\$|\$\(([^()]*)\)/g, (match: string, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && Object.hasOwn(vars, name) ? vars[name]! : match;
  });
}

/** Throws BuildStartError when the job has nothing runnable (Prow: "Pod can not be created"). */
export function containerCommand(pj: ProwJob, prowEnv: Record<string, string>): ContainerCommand {
  const name = pj.metadata.name;
  if (!isValidBuildName(name)) {
    throw new BuildStartError(`build name ${JSON.stringify(name)} is not a valid name`);
  }
  const container = pj.spec.pod_spec?.containers[0];
  if (!container) throw new BuildStartError('no command to run: the job has no pod_spec container');
  const command = container.command ?? [];
  if (command.length === 0) {
    throw new BuildStartError('no command to run: containers[0].command is empty');
  }
  // Env values may refer to variables defined before them (Kubernetes' order-dependent rule).
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) env[e.name] = expandVars(e.value ?? '', env);
  Object.assign(env, prowEnv);
  const argv = [...command, ...(container.args ?? [])].map((a) => expandVars(a, env));
  return {
    argv,
    env,
    ...(container.workingDir ? { workingDir: container.workingDir } : {}),
  };
}
