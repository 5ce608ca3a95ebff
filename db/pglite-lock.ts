// One process at a time on a PGlite data folder. PGlite is PostgreSQL in this process's memory:
// a second process opening the same folder (a `camau` CLI command while `camau serve` runs)
// would write the same files unaware of the first, and corrupt them. A lock file holding the
// owner's pid stops it with a clear message; a lock left by a process that has died is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataFolderInUse extends Error {
  constructor(readonly dir: string, readonly pid: number) {
    super(`The data folder ${dir} is in use by another Camau process (pid ${pid}). Stop that process first, or use PostgreSQL (DATABASE_URL) to run several processes at once.`);
    this.name = 'DataFolderInUse';
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder's lock for this process; returns the function that gives it back. */
export function lockDataFolder(dir: string): () => void {
  const file = join(dir, 'camau.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new DataFolderInUse(dir, pid);
      // Left behind by a process that died without closing: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${file}`);
}
