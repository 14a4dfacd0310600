// Is a build's wrapper process still running? A pid alone is not proof: the pid may have been
// reused by an unrelated process (after a reboot), or the wrapper may be a zombie nobody reaps
// (its parent, plank, was killed and init does not reap). On Linux /proc answers both; elsewhere
// signal 0 is the best available answer.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

const hasProc = existsSync('/proc/self/stat');

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` runs and its command line mentions `marker` (the build directory). */
export async function isBuildProcessAlive(pid: number, marker: string): Promise<boolean> {
  if (!hasProc) return signalZero(pid);
  try {
    const { state } = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
    if (state === 'Z' || state === 'X') return false;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.split('\0').includes(marker);
  } catch {
    return false; // gone between the reads, or never there
  }
}

/** Parses /proc/<pid>/stat: state and process group (the comm field may hold spaces and parens). */
function parseStat(stat: string): { state: string; pgrp: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0] ?? '', pgrp: Number(rest[2]) };
}

/**
 * True when a live (non-zombie) process of the group `pgid` exists. Zombies count as gone: an
 * orphaned build's processes are reaped by init, which may take its time.
 */
export async function isGroupAlive(pgid: number): Promise<boolean> {
  if (!hasProc) return signalZero(-pgid);
  if (!signalZero(-pgid)) return false;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const { state, pgrp } = parseStat(await readFile(`/proc/${entry}/stat`, 'utf8'));
      if (pgrp === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // exited while we looked
    }
  }
  return false;
}

/** Signals the whole process group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
