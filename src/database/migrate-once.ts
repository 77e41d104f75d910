import { type DataSource, MigrationExecutor } from 'typeorm';

/** An arbitrary constant: the advisory lock key that serialises migrations (hash of "taskwell:migrations"). */
const MIGRATION_LOCK_KEY = 7_264_031_966_001;
const LOCK_POLL_MS = 250;

/**
 * Applies the pending migrations, once, however many instances boot at the
 * same time: every pending migration runs in one transaction that first takes
 * a transaction-level advisory lock, and the list of pending migrations is
 * read only after the lock is ours. A second instance waits for the first to
 * commit, then finds nothing left to do. A transaction-level lock (not a
 * session-level one) also holds through PgBouncer in transaction mode, where
 * a session lock would stay behind on whichever server connection took it.
 * The lock is polled rather than waited for, so no single statement runs
 * longer than the statement timeout while another instance migrates.
 */
export async function migrateOnce(dataSource: DataSource, log: (message: string) => void): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      let waited = false;
      for (;;) {
        const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
          MIGRATION_LOCK_KEY,
        ])) as [{ locked: boolean }];
        if (locked) break;
        if (!waited) log('Another instance is applying migrations: waiting for it');
        waited = true;
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'none'; // the surrounding transaction is ours
      const applied = await executor.executePendingMigrations();
      await runner.commitTransaction();
      return applied.map((migration) => migration.name);
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}
