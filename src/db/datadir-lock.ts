// PGlite has no lock of its own and two processes writing one data directory
// corrupt it, so the first process to open it holds an exclusive lock file.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type LockInfo = { pid: number; port?: number; controlToken?: string; startedAt: string };

export class DataDirBusyError extends Error {
  readonly code = 'datadir.busy';
  readonly dir: string;
  readonly holder: LockInfo;
  constructor(dir: string, holder: LockInfo) {
    super(
      `The embedded database in ${dir} is in use by process ${holder.pid}` +
        (holder.port ? ` (mscore server on port ${holder.port})` : '') +
        '. Only one process may open it: stop that process, or set DATABASE_URL to use PostgreSQL.',
    );
    this.dir = dir;
    this.holder = holder;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFile(dir: string): string {
  return path.join(dir, 'mscore.lock');
}

/** The live holder of the directory's lock, if any. */
export function readLock(dir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(lockFile(dir), 'utf8')) as LockInfo;
    return alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export type DirLock = { update(extra: Partial<LockInfo>): void; release(): void };

export function lockDataDir(dir: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const file = lockFile(dir);
  let info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      // This process counts as a holder too: opening the directory twice corrupts it as well.
      const holder = readLock(dir);
      if (holder) throw new DataDirBusyError(dir, holder);
      unlinkSync(file); // left by a process that died
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    try {
      unlinkSync(file);
    } catch {}
    process.off('exit', release);
  };
  process.on('exit', release);
  return {
    update(extra) {
      info = { ...info, ...extra };
      writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
    },
    release,
  };
}
