// One `jetprow all` per data dir: two nats-servers on one JetStream store corrupt it, and two sets
// of services on the same ports crash-loop. The lock is a file created with O_EXCL holding the
// owner's PID and ports; a lock whose PID is gone (a killed run) is stale and is taken over.
import { openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** Filled in as they are known: hook, health and metrics bases, nats-server's client port. */
  ports: Record<string, number>;
  /** The nats-server this run started (own process group: it can outlive a SIGKILLed run). */
  natsPid?: number;
}

export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  readonly file: string;
  readonly holder: LockInfo;
  constructor(file: string, holder: LockInfo) {
    const ports = Object.entries(holder.ports)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    super(
      `another jetprow all (PID ${holder.pid}, started ${holder.startedAt}${ports ? `; ${ports}` : ''}) ` +
        `is using this data dir (${file}); stop it, or give this one another --data-dir`,
    );
    this.file = file;
    this.holder = holder;
  }
}

export interface DataDirLock {
  file: string;
  /** Records more of the run (ports, nats-server's PID) in the lock file. */
  update(patch: Partial<LockInfo>): void;
  release(): void;
  /** Set when a stale lock of a killed run was taken over. */
  tookOver?: LockInfo;
}

/** Whether `pid` is a live process (EPERM: alive, owned by someone else). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A live process that is a jetprow (not another program that was given a dead run's PID). */
function isJetprow(pid: number): boolean {
  if (!alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('jetprow');
  } catch {
    return true; // no /proc (not Linux) or not ours to read: trust the PID
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
    return Number.isInteger(info.pid) ? info : undefined;
  } catch {
    return undefined; // torn or foreign content: treated as stale
  }
}

export function lockDataDir(dataDir: string, self = process.pid): DataDirLock {
  const file = join(dataDir, 'jetprow-all.lock');
  const info: LockInfo = { pid: self, startedAt: new Date().toISOString(), ports: {} };
  let tookOver: LockInfo | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeFileSync(fd, `${JSON.stringify(info)}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const holder = readLock(file);
      if (holder && holder.pid !== self && isJetprow(holder.pid)) {
        throw new LockHeldError(file, holder);
      }
      // Stale: its owner was killed (the caller stops a nats-server it may have left behind).
      tookOver = holder ?? { pid: 0, startedAt: 'unknown', ports: {} };
      rmSync(file, { force: true });
    }
  }
  return {
    file,
    tookOver,
    update(patch) {
      Object.assign(info, patch, { ports: { ...info.ports, ...patch.ports } });
      writeFileSync(file, `${JSON.stringify(info)}\n`);
    },
    release() {
      if (readLock(file)?.pid === self) rmSync(file, { force: true });
    },
  };
}
