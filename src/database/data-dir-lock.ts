import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/**
 * An exclusive lock on a data folder, held as a file with the owner's PID.
 * A lock whose process is gone (killed, crashed) is stale and taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(file: string): DataDirLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = readOwner(file);
        // Our own PID counts too: two engines in one process would corrupt the folder just the same.
        if (owner !== undefined && isAlive(owner)) {
          throw new Error(
            `The data folder is in use by another process (PID ${owner}): ${file}. ` +
              'Stop that process, or set DATA_DIR to another folder or DATABASE_URL to a PostgreSQL server.',
            { cause: error },
          );
        }
        unlinkSync(file); // stale: its owner is gone
      }
    }
    throw new Error(`Could not lock the data folder: ${file}`);
  }

  release(): void {
    try {
      if (readOwner(this.file) === process.pid) unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
