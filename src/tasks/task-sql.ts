import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { isDatabaseUnavailable } from '../common/problems/database-unavailable.js';
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
 */
@Injectable()
export class TaskSql {
  private readonly pool: Pool;
  private readonly names = new Map<string, number>();
  private readonly clientTags = new WeakMap<PoolClient, string>();

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.pool = (dataSource.driver as unknown as { master: Pool }).master;
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
