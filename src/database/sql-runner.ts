import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../common/problems/database-unavailable.js';
import { PreparedStatements } from './prepared-statements.js';
import { retryTransient } from './retry-transient.js';
import { ROW_TYPES } from './row-types.js';

/** Runs statements on one connection: the runner itself, or a transaction's. */
export interface SqlSession {
  /** Rows as plain objects shaped by the statement's column aliases, timestamps as ISO 8601 strings. */
  query<T>(text: string, values?: unknown[]): Promise<T[]>;
}

/**
 * The one way to run hand-written SQL, for the hot paths (a module's
 * `*.repository.ts`; plain CRUD uses the TypeORM repository instead).
 * Statements run on a connection of the application's one pool, checked out
 * through TypeORM's public `QueryRunner`, as named prepared statements
 * (`PreparedStatements`) with the row parsers of `ROW_TYPES`. TypeORM's own
 * `query()` builds its result and logging on every call; this goes straight
 * to the `pg` client it hands out.
 *
 * While a client is checked out, the QueryRunner listens for its connection
 * errors (a lost connection is then an error of the query, not an unhandled
 * event that ends the process) and drops it from the pool.
 */
@Injectable()
export class SqlRunner implements SqlSession {
  private readonly statements = new PreparedStatements();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  query<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return this.withClient((client) => this.run<T>(client, text, values));
  }

  /**
   * A single-statement write, run again if PostgreSQL aborted it as a deadlock
   * victim (`retryTransient`).
   */
  write<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return retryTransient(() => this.query<T>(text, values));
  }

  /** `work` runs in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work({ query: (text, values = []) => this.run(client, text, values) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined); // a lost connection rolls back by itself
        throw error;
      }
    });
  }

  private async run<T>(client: PoolClient, text: string, values: unknown[]): Promise<T[]> {
    const result = await client.query({ name: this.statements.nameOf(client, text), text, values, types: ROW_TYPES });
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
