// A flag naming a file must name one this process can read: checked at start, one line, exit 2.
import { accessSync, constants, statSync } from 'node:fs';
import { str, UsageError, type RawFlags } from './group.js';

/** The path of flag `name`, checked readable (`kind: 'any'` allows a directory). */
export function readableFile(
  raw: RawFlags,
  name: string,
  kind: 'file' | 'any' = 'file',
): string | undefined {
  const path = str(raw, name);
  if (path === undefined) return undefined;
  try {
    accessSync(path, constants.R_OK);
    if (kind === 'file' && !statSync(path).isFile()) throw new Error('not a file');
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new UsageError(`--${name}: cannot read ${path}: ${why}`);
  }
  return path;
}
