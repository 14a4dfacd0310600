// The on-disk record of one local build, `<dir>/<name>/`. Everything a runner instance knows about
// a build is in these files, so any instance (a restarted plank, another replica on the same
// machine) sees the same build:
//   meta.json  name, prowJob, buildId, startedAt, argv, cwd (written before the process starts)
//   pid        the wrapper's pid = the build's process group id  (written by runner and wrapper)
//   log        stdout + stderr
//   exit       the exit code, written by the wrapper when the command ends (tmp + rename)
//   stopped    {exitCode, reason, finishedAt} when stop() ended it (wins over `exit`)
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const Files = {
  meta: 'meta.json',
  pid: 'pid',
  log: 'log',
  exit: 'exit',
  stopped: 'stopped',
} as const;

export interface BuildMeta {
  name: string;
  prowJob: string;
  buildId: string;
  startedAt: string;
  argv: string[];
  cwd: string;
}

export interface StoppedRecord {
  exitCode: number;
  reason: string;
  finishedAt: string;
}

/** What the files say, before asking whether the process is alive. */
export interface BuildFiles {
  meta?: BuildMeta;
  pid?: number;
  exit?: { code: number; finishedAt: string };
  stopped?: StoppedRecord;
  /** The directory's change time, for builds whose meta.json was never written. */
  createdAt: string;
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** Writes `path` atomically: readers see the old content or the new, never a partial file. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

function parseJson<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined; // an interrupted first write: treat as absent
  }
}

function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isInteger(n) ? n : undefined;
}

/** Reads a build's files; undefined when the build directory does not exist. */
export async function readBuildFiles(buildDir: string): Promise<BuildFiles | undefined> {
  let dirStat;
  try {
    dirStat = await stat(buildDir);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
  const [metaText, pidText, exitText, stoppedText] = await Promise.all([
    readText(join(buildDir, Files.meta)),
    readText(join(buildDir, Files.pid)),
    readText(join(buildDir, Files.exit)),
    readText(join(buildDir, Files.stopped)),
  ]);
  const files: BuildFiles = { createdAt: dirStat.ctime.toISOString() };
  const meta = parseJson<BuildMeta>(metaText);
  if (meta) files.meta = meta;
  const pid = parseInteger(pidText);
  if (pid !== undefined && pid > 0) files.pid = pid;
  const stopped = parseJson<StoppedRecord>(stoppedText);
  if (stopped) files.stopped = stopped;
  const code = parseInteger(exitText);
  if (code !== undefined) {
    const finished = await stat(join(buildDir, Files.exit)).catch(() => undefined);
    files.exit = { code, finishedAt: (finished?.mtime ?? new Date()).toISOString() };
  }
  return files;
}
