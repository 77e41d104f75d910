import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { limitsConfig } from '../config/limits.config.js';
import { SqlRunner } from '../database/sql-runner.js';
import { IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency-key.js';
import { buildListStatement, filterConditions, type ListPlan } from './list/list-statement.js';
import type { ListFilters } from './list/task-filters.js';
import { TASK_COLUMNS, type TaskRow } from './task-columns.js';
import type { TaskPriority } from './task-priority.js';

/** Every write bumps the version and the update time, even when no value changed. */
const BUMP = 'version = version + 1, updated_at = now()';

/**
 * `completed_at` follows `completed`: kept while it stays completed, set when it becomes so, cleared
 * otherwise (`task_completed_at`, migration DistributeByUser: Citus takes no now() inside a CASE).
 */
const completedAtFor = (completed: string) => `completed_at = task_completed_at(${completed}, completed_at, now())`;

/** `completed_by` likewise: kept while it stays completed, the writer when it becomes so, cleared otherwise. */
const completedByFor = (completed: string, by: string) =>
  `completed_by = CASE WHEN ${completed} THEN COALESCE(completed_by, ${by}::uuid) END`;

/** The values of a new task, defaults already applied. */
export interface NewTask {
  title: string;
  description: string | null;
  completed: boolean;
  priority: TaskPriority;
  dueAt: string | null;
  tags: string[];
}

/** The fields a write sets; the others keep their values. */
export type TaskChanges = Partial<NewTask>;

/** A list row: a task with its sort key, and the total on every row (or alone, when the page is empty). */
/** A quota of the account that a create would exceed. */
export type Quota = 'tasks' | 'idempotency-keys';

/**
 * What a keyed insert found: the task it created, the one a first request created, a key used for another
 * body, or a quota that stopped it.
 */
export type KeyedInsert = { task: TaskRow; replayed: boolean } | { reused: true } | { quota: Quota };

/**
 * Locks the owner's counter row (creating it for a first task) and reads it: every create of the owner
 * takes this lock first, so a quota checked under it holds whatever runs concurrently (the insert
 * triggers update the same row before the commit releases it).
 */
const LOCK_COUNTERS = `INSERT INTO task_counts AS c (user_id) VALUES ($1)
  ON CONFLICT (user_id) DO UPDATE SET total = c.total
  RETURNING total, idempotency_keys`;

const EXPIRED = `created_at < now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`;

/** How often an instance purges expired keys at most: housekeeping, not correctness (a key expires by itself). */
const PURGE_INTERVAL_MS = 60_000;

export type ListRow = TaskRow & { total: string | number; sortKey: string | number };

/**
 * Every SQL statement of the tasks module (a hot path: see `SqlRunner`).
 * Each one is scoped to the owner, so isolation does not rest on the route
 * guards alone: another user's task is simply absent. `versions` is the
 * `If-Match` condition: a write happens only while the task has one of them
 * (`undefined`: any version). A write that finds nothing returns nothing; the
 * service tells a missing task from a moved-on one.
 */
@Injectable()
export class TasksRepository {
  /** When this instance last purged expired idempotency keys (0: not yet). */
  private purgedAt = 0;

  constructor(
    private readonly sql: SqlRunner,
    @Inject(limitsConfig.KEY) private readonly limits: ConfigType<typeof limitsConfig>,
  ) {}

  /** One page and the total, in one statement (`buildListStatement`). */
  page(plan: ListPlan): Promise<ListRow[]> {
    const statement = buildListStatement(plan);
    return this.sql.query<ListRow>(statement.text, statement.values);
  }

  /** The new task, or `undefined` when the owner holds MAX_TASKS_PER_USER already. */
  async insert(ownerId: string, task: NewTask): Promise<TaskRow | undefined> {
    // The lock and the insert in one statement: one round trip, as before the quota.
    const rows = await this.sql.query<TaskRow>(
      `WITH counters AS (${LOCK_COUNTERS})
       ${INSERT_TASK} SELECT ${TASK_VALUES} FROM counters WHERE counters.total < $8
       RETURNING ${TASK_COLUMNS}`,
      [...taskValues(ownerId, task), this.limits.maxTasksPerUser],
    );
    return rows[0];
  }

  /**
   * Inserts the task once per `(owner, key)` within the key's lifetime. The
   * key row and the task commit together. A concurrent request with the same
   * key waits on the key row's primary key until the first commits, then
   * finds it: one task, whatever the timing. An expired key is taken over.
   */
  async insertOnce(ownerId: string, key: string, fingerprint: string, task: NewTask): Promise<KeyedInsert> {
    const result = await this.sql
      .transaction(async (tx): Promise<KeyedInsert> => {
        // First, so that every transaction of this owner waits here, before it holds any key row.
        const [counters] = await tx.query<{ total: number; idempotency_keys: number }>(LOCK_COUNTERS, [ownerId]);
        const expired = await tx.query(
          `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND ${EXPIRED} RETURNING 1`,
          [ownerId, key],
        );
        const claimed = await tx.query(
          `INSERT INTO idempotency_keys (user_id, key, fingerprint) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
          [ownerId, key, fingerprint],
        );
        if (claimed.length === 0) {
          const [first] = await tx.query<{ fingerprint: string; response: TaskRow }>(
            `SELECT fingerprint, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
            [ownerId, key],
          );
          return first.fingerprint === fingerprint ? { task: first.response, replayed: true } : { reused: true };
        }
        // A refused quota throws, so the transaction rolls the claimed key back.
        if (counters.idempotency_keys - expired.length >= this.limits.maxIdempotencyKeysPerUser) {
          throw new QuotaReached('idempotency-keys');
        }
        if (counters.total >= this.limits.maxTasksPerUser) throw new QuotaReached('tasks');
        const [created] = await tx.query<TaskRow>(`${INSERT_TASK} VALUES (${TASK_VALUES}) RETURNING ${TASK_COLUMNS}`, [
          ...taskValues(ownerId, task),
        ]);
        await tx.query(`UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2`, [
          ownerId,
          key,
          created,
        ]);
        return { task: created, replayed: false };
      })
      .catch((error: unknown) => {
        if (error instanceof QuotaReached) return { quota: error.quota };
        throw error;
      });
    await this.purgeExpiredKeys();
    return result;
  }

  /**
   * Keyed creations purge what has expired, at most once a minute per instance, so the table holds
   * about a day of keys. One range delete on `idempotency_keys_created_idx`: Citus runs it on every
   * shard (about 25 ms there, against 0.4 ms on one server), and refuses the batched form (LIMIT and
   * FOR UPDATE in a subquery over shards), so it stays off most requests. A deadlock with a
   * concurrent purge is retried (`write`).
   */
  private async purgeExpiredKeys(): Promise<void> {
    if (Date.now() - this.purgedAt < PURGE_INTERVAL_MS) return;
    this.purgedAt = Date.now();
    await this.sql.write(`DELETE FROM idempotency_keys WHERE ${EXPIRED}`);
  }

  async findOwned(id: string, ownerId: string): Promise<TaskRow | undefined> {
    const rows = await this.sql.query<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2`, [
      id,
      ownerId,
    ]);
    return rows[0];
  }

  /** Sets the given fields in one statement. */
  updateOwned(id: string, ownerId: string, changes: TaskChanges, versions?: number[]): Promise<TaskRow | undefined> {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length + 2}`);
    };
    if (changes.title !== undefined) set('title', changes.title);
    if (changes.description !== undefined) set('description', changes.description);
    if (changes.priority !== undefined) set('priority', changes.priority);
    if (changes.dueAt !== undefined) set('due_at', toDate(changes.dueAt));
    if (changes.tags !== undefined) set('tags', changes.tags);
    if (changes.completed !== undefined) {
      set('completed', changes.completed);
      sets.push(completedAtFor(`$${params.length + 2}::boolean`));
      sets.push(completedByFor(`$${params.length + 2}::boolean`, '$2'));
    }
    sets.push(BUMP);
    return this.updateWhere(id, ownerId, sets.join(', '), params, versions);
  }

  /** Flips `completed` in one statement, so concurrent toggles never lose one. */
  toggleOwned(id: string, ownerId: string, versions?: number[]): Promise<TaskRow | undefined> {
    return this.updateWhere(
      id,
      ownerId,
      `completed = NOT completed, ${completedAtFor('NOT completed')}, ${completedByFor('NOT completed', '$2')}, ${BUMP}`,
      [],
      versions,
    );
  }

  /** True when a task was deleted. */
  async deleteOwned(id: string, ownerId: string, versions?: number[]): Promise<boolean> {
    const rows = await this.sql.write<{ id: string }>(
      `DELETE FROM tasks WHERE id = $1 AND user_id = $2 ${versionClause(versions, 3)} RETURNING id`,
      [id, ownerId, ...versionParams(versions)],
    );
    return rows.length > 0;
  }

  /**
   * Sets `completed` on every matching task of the owner that is not in that
   * state yet, in one statement (atomic: all or none). Returns how many changed.
   */
  async setCompletedMatching(ownerId: string, filters: ListFilters, completed: boolean): Promise<number> {
    const values: unknown[] = [ownerId];
    const param = (value: unknown, cast = '') => {
      values.push(value);
      return `$${values.length}${cast}`;
    };
    const conditions = filterConditions(filters, param);
    const target = param(completed, '::boolean');
    conditions.push(`completed <> ${target}`);
    const rows = await this.sql.write<{ count: number }>(
      `WITH changed AS (
         UPDATE tasks SET completed = ${target}, ${completedAtFor(target)}, ${completedByFor(target, '$1')},
                          updated_by = $1, ${BUMP}
          WHERE ${conditions.join(' AND ')}
          RETURNING 1)
       SELECT count(*)::int AS count FROM changed`,
      values,
    );
    return rows[0].count;
  }

  /** Deletes every completed task of the owner in one statement. Returns how many went. */
  async deleteCompleted(ownerId: string): Promise<number> {
    const rows = await this.sql.write<{ count: number }>(
      `WITH gone AS (DELETE FROM tasks WHERE user_id = $1 AND completed RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [ownerId],
    );
    return rows[0].count;
  }

  private async updateWhere(
    id: string,
    ownerId: string,
    assignments: string,
    params: unknown[],
    versions: number[] | undefined,
  ): Promise<TaskRow | undefined> {
    const rows = await this.sql.write<TaskRow>(
      `UPDATE tasks SET ${assignments}, updated_by = $2
        WHERE id = $1 AND user_id = $2 ${versionClause(versions, params.length + 3)}
        RETURNING ${TASK_COLUMNS}`,
      [id, ownerId, ...params, ...versionParams(versions)],
    );
    return rows[0];
  }
}

const INSERT_TASK = `INSERT INTO tasks (user_id, title, description, completed, completed_at, priority, due_at, tags)`;

/** Typed: in `INSERT … SELECT` the parameters do not take their types from the columns. */
const TASK_VALUES = `$1::uuid, $2::text, $3::text, $4::boolean, CASE WHEN $4::boolean THEN now() END, $5::text,
  $6::timestamptz, $7::text[]`;

function taskValues(ownerId: string, task: NewTask): unknown[] {
  return [ownerId, task.title, task.description, task.completed, task.priority, toDate(task.dueAt), task.tags];
}

/** Thrown inside a keyed insert's transaction, so that it rolls back. */
class QuotaReached extends Error {
  constructor(readonly quota: Quota) {
    super(`quota reached: ${quota}`);
  }
}

/** Validated timestamps may carry any offset; a Date hands PostgreSQL the instant itself. */
function toDate(value: string | null | undefined): Date | null {
  return value == null ? null : new Date(value);
}

function versionClause(versions: number[] | undefined, index: number): string {
  return versions ? `AND version = ANY($${index}::int[])` : '';
}

function versionParams(versions: number[] | undefined): unknown[] {
  return versions ? [versions] : [];
}
