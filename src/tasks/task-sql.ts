import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../common/problems/database-unavailable.js';
import { databaseConfig } from '../config/database.config.js';
import { TASK_ROW_TYPES } from './task-row-types.js';

/**
 * Runs the tasks' SQL straight on the driver's pool, as named prepared
 * statements. The task routes are the hot paths: TypeORM's `query()` builds a
 * QueryRunner per call, and an unnamed statement is parsed and planned on
 * every call (planning the list statement costs more than running it). Rows
 * come back as plain objects shaped by the SQL's column aliases, with
 * timestamps as ISO 8601 strings.
 *
 * Statement names are unique per connection: the embedded engine serves all
 * its connections from one session, where a name reused by a second
 * connection would collide.
 *
 * Behind PgBouncer in transaction mode (DB_POOL_MODE=transaction) a session
 * is not ours between transactions: a statement prepared on one server
 * connection is missing on the next, and PgBouncer refuses (or drops) the
 * statement_timeout startup parameter. There each statement is unnamed and
 * runs in a transaction of its own that starts with `SET LOCAL
 * statement_timeout`, so the timeout holds on whichever server connection
 * runs it (two more round trips per statement).
 */
@Injectable()
export class TaskSql {
  private readonly pool: Pool;
  private readonly names = new Map<string, number>();
  private readonly clientTags = new WeakMap<PoolClient, string>();
  private readonly transactionMode: boolean;
  /** `BEGIN; SET LOCAL ...` in one round trip (a simple query may hold several statements). */
  private readonly begin: string;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(databaseConfig.KEY) config: ConfigType<typeof databaseConfig>,
  ) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.transactionMode = config.poolMode === 'transaction';
    this.begin = `BEGIN; SET LOCAL statement_timeout = ${Math.trunc(config.statementTimeoutMs)}`;
  }

  async query<T>(text: string, values: unknown[]): Promise<T[]> {
    const client = await this.pool.connect();
    // While checked out, a client has no listener of the pool's: a connection lost between
    // queries would be an unhandled 'error' event, which ends the process (as TypeORM's
    // QueryRunner does, listen while the client is ours).
    let lost: Error | undefined;
    const onError = (error: Error) => (lost = error);
    client.on('error', onError);
    try {
      if (this.transactionMode) return await this.inOwnTransaction<T>(client, text, values);
      const result = await client.query({ name: this.nameOf(client, text), text, values, types: TASK_ROW_TYPES });
      return result.rows as T[];
    } catch (error) {
      if (isDatabaseUnavailable(error)) lost ??= error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      // A broken connection leaves the pool rather than serve the next request.
      client.release(lost);
    }
  }

  private async inOwnTransaction<T>(client: PoolClient, text: string, values: unknown[]): Promise<T[]> {
    await client.query(this.begin);
    try {
      const result = await client.query({ text, values, types: TASK_ROW_TYPES });
      await client.query('COMMIT');
      return result.rows as T[];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined); // a lost connection is dropped by the caller
      throw error;
    }
  }

  private nameOf(client: PoolClient, text: string): string {
    let tag = this.clientTags.get(client);
    if (tag === undefined) {
      tag = randomBytes(4).toString('hex');
      this.clientTags.set(client, tag);
    }
    let index = this.names.get(text);
    if (index === undefined) {
      index = this.names.size;
      this.names.set(text, index);
    }
    return `tw_${tag}_${index}`;
  }
}
