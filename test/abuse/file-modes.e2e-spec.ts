import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres.js';

/**
 * The embedded engine's files hold every account's data, and pg_hba.conf and
 * pg_control decide who connects and whether it starts: another user of the
 * machine must not be able to read or rewrite them, even under a umask of 0
 * (some container images run so).
 */
describe('Embedded engine file modes (e2e)', () => {
  it('keeps DATA_DIR and everything the engine writes private to the service user', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taskwell-modes-'));
    const umask = process.umask(0);
    try {
      const engine = await EmbeddedPostgres.start(dataDir);
      try {
        // Files the engine creates while it runs (a table, its rows, the WAL) count too.
        const client = new pg.Client({ connectionString: engine.url });
        await client.connect();
        await client.query(
          'CREATE TABLE modes (id int); INSERT INTO modes SELECT generate_series(1, 1000); CHECKPOINT',
        );
        await client.end();
      } finally {
        await engine.stop();
      }
      const paths = [dataDir, ...readdirSync(dataDir, { recursive: true }).map((name) => join(dataDir, String(name)))];
      expect(paths.some((path) => path.endsWith('pg_hba.conf'))).toBe(true);
      const shared = paths.filter((path) => (statSync(path).mode & 0o077) !== 0);
      expect(shared).toEqual([]);
    } finally {
      process.umask(umask);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
