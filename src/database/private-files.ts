import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Read and write for the service's own user, nothing for anyone else. */
const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;
/** What a new file or folder may not grant: group and others get nothing. */
const PRIVATE_UMASK = 0o077;

/**
 * Keeps the embedded engine's files to the service's user: they hold every
 * account's data, and `pg_hba.conf` and `pg_control` decide who connects and
 * whether the engine starts at all. PGlite creates its files with the modes
 * WebAssembly's file layer asks for (0777 and 0666, less the umask): under a
 * umask of 0, as in some containers, anyone on the machine could rewrite them.
 * The umask covers every file the engine creates later (WAL segments, new
 * tables), for the whole process; `folder`'s existing contents, from an
 * earlier start, are set private here. Symbolic links are left alone.
 */
export function keepPrivate(folder: string): void {
  process.umask(PRIVATE_UMASK);
  chmodSync(folder, PRIVATE_FOLDER);
  for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isDirectory()) chmodSync(path, PRIVATE_FOLDER);
    else if (entry.isFile() && (lstatSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE);
  }
}
