import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../common/problems/database-unavailable.js';
import { databaseConfig } from '../config/database.config.js';
import { PreparedStatements } from './prepared-statements.js';
import { retryTransient } from './retry-transient.js';
import { ROW_TYPES } from './row-types.js';

/** Runs statements on one connection: the runner itself, or a transaction's. */
export interface SqlSession {
  /** Rows as plain objects shaped by the statement's column aliases, timestamps as ISO 8601 strings. */
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
  /**
   * A transaction's session runs `callback` once its transaction has committed (never after a
   * rollback); the runner itself, outside a transaction, has nothing to wait for and runs it at once.
   */
  afterCommit(callback: () => void): void;
}

/** How a transaction runs. */
interface TransactionOptions {
  /**
   * Run the whole transaction again when it lost a race (`retryTransient`):
   * for work whose concurrent runs may deadlock or fail to serialize, such as
   * writes to Citus reference tables. `work` must then be safe to run again
   * from its start (it is rolled back in between).
   */
  retry?: boolean;
}

/**
 * The one way to the database for every module: its `*.repository.ts` runs
 * its statements here, and only here (entities serve the migrations).
 * Statements run on a connection of the application's one pool, checked out
 * through TypeORM's public `QueryRunner`, as named prepared statements
 * (`PreparedStatements`) with the row parsers of `ROW_TYPES`. TypeORM's own
 * `query()` builds its result and logging on every call; this goes straight
 * to the `pg` client it hands out.
 *
 * While a client is checked out, the QueryRunner listens for its connection
 * errors (a lost connection is then an error of the query, not an unhandled
 * event that ends the process) and drops it from the pool.
 *
 * Behind PgBouncer in transaction mode (DB_POOL_MODE=transaction) the session
 * is not ours between transactions: a statement prepared on one server
 * connection is missing on the next, and PgBouncer refuses (or, told to
 * ignore it, drops) the statement_timeout startup parameter. There every
 * statement is unnamed and runs in a transaction that starts with `SET LOCAL
 * statement_timeout`, so the timeout holds on whichever server connection
 * runs it (two more round trips for a single statement).
 */
@Injectable()
export class SqlRunner implements SqlSession {
  private readonly statements = new PreparedStatements();
  private readonly transactionMode: boolean;
  /** Opens a transaction; in transaction mode with its statement timeout, in the same round trip. */
  private readonly begin: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) config: ConfigType<typeof databaseConfig>,
  ) {
    this.transactionMode = config.poolMode === 'transaction';
    this.begin = this.transactionMode
      ? `BEGIN; SET LOCAL statement_timeout = ${Math.trunc(config.statementTimeoutMs)}`
      : 'BEGIN';
  }

  afterCommit(callback: () => void): void {
    callback();
  }

  query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    if (this.transactionMode) return this.transaction((session) => session.query<T>(text, values));
    return this.withClient((client) => this.run<T>(client, text, values));
  }

  /**
   * A single-statement write, run again if PostgreSQL aborted it as a deadlock
   * victim (`retryTransient`).
   */
  write<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return retryTransient(() => this.query<T>(text, values));
  }

  /**
   * `work` runs in one transaction: committed when it resolves, rolled back
   * when it throws; with `retry`, run again from the start when it lost a race.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return options.retry ? retryTransient(() => this.runTransaction(work)) : this.runTransaction(work);
  }

  private runTransaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query(this.begin);
      const committed: (() => void)[] = [];
      try {
        const result = await work({
          query: (text, values = []) => this.run(client, text, values),
          afterCommit: (callback) => committed.push(callback),
        });
        await client.query('COMMIT');
        for (const callback of committed) {
          try {
            callback();
          } catch {
            // Committed is committed: a failing follow-up must not turn the write into an error.
          }
        }
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined); // a lost connection rolls back by itself
        throw error;
      }
    });
  }

  private async run<T>(client: PoolClient, text: string, values: unknown[]): Promise<T[]> {
    const name = this.transactionMode ? undefined : this.statements.nameOf(client, text);
    const result = await client.query({ name, text, values, types: ROW_TYPES });
    return result.rows as T[];
  }

  private async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const client = (await runner.connect()) as PoolClient;
      try {
        return await work(client);
      } catch (error) {
        // A connection that timed out or broke leaves the pool (an ended client is not reused)
        // rather than serve the next request.
        if (isDatabaseUnavailable(error)) client.end().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
