import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataDirLock } from './data-dir-lock.js';
import { keepPrivate } from './private-files.js';

/**
 * PostgreSQL's default 128 MB of shared buffers live in the engine's
 * WebAssembly memory, which never shrinks. One connection and a data set of
 * a development or small deployment need far less: 16 MB saves about 110 MB
 * of resident memory, and the files stay in the OS page cache anyway.
 */
const ENGINE_OPTIONS = {
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
};

/** Where the embedded engine keeps its files inside the data folder. */
export function embeddedFolder(dataDir: string): string {
  return join(resolve(dataDir), 'pglite');
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), kept on disk in `<dataDir>/pglite`
 * and served on a loopback socket, so TypeORM talks to it with the normal `pg`
 * driver: same migrations and SQL as on a server.
 *
 * All socket connections share one PGlite session, so callers must use a pool
 * of one connection.
 */
export class EmbeddedPostgres {
  private constructor(
    readonly url: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lock: DataDirLock,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true }); // PGlite does not create parent folders
    keepPrivate(dir);
    // PGlite takes no lock of its own: two processes on one folder would corrupt it.
    const lock = DataDirLock.acquire(join(dir, 'pglite.lock'));
    try {
      const folder = embeddedFolder(dir);
      const fresh = !existsSync(join(folder, 'PG_VERSION'));
      let db = await PGlite.create(folder, ENGINE_OPTIONS);
      if (fresh) {
        // initdb's instance stays in memory with the engine that ran it (about 350 MB more
        // than a later start): open the new folder afresh and let that one go.
        await db.close();
        db = await PGlite.create(folder, ENGINE_OPTIONS);
      }
      // PGlite sets the modes of the files it unpacks (0666 and more) itself, past the umask.
      keepPrivate(dir);
      // Two connections: the pool's one, plus room for a reconnect while the old socket closes.
      const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
      await server.start();
      const url = `postgresql://postgres:postgres@${server.getServerConn()}/postgres`;
      return new EmbeddedPostgres(url, db, server, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Call after the data source is destroyed: socket server, then the engine, then the lock. */
  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
