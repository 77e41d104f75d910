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
 * whether the engine starts at all. PGlite's WebAssembly file layer sets the
 * modes of the files it unpacks itself (0666 and wider, whatever the umask):
 * anyone on the machine could rewrite them. Call it before the engine starts
 * (the umask then covers what the engine creates later, WAL segments and new
 * tables, for the whole process) and again once it has started (the files it
 * unpacked). Symbolic links are left alone.
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
