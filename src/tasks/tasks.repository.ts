import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ChangeLog } from '../changes/change-log.js';
import type { ChangeInput, ChangeType } from '../changes/change.js';
import { loggedCte, positionCte } from '../changes/change-statement.js';
import { isForeignKeyViolation } from '../common/problems/sql-state.js';
import { limitsConfig } from '../config/limits.config.js';
import { SqlRunner, type SqlSession } from '../database/sql-runner.js';
import { IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency-key.js';
import { buildListStatement, filterConditions, type ListPlan } from './list/list-statement.js';
import { accessConditions, type TaskAccess, WRITE_ROLES } from './list/task-access.js';
import type { ListFilters } from './list/task-filters.js';
import { TASK_COLUMNS, type TaskRow, taskJsonText } from './task-columns.js';
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
  assigneeId: string | null;
}

/** The fields a write sets; the others keep their values. */
export type TaskChanges = Partial<NewTask>;

/** A quota that a create would exceed: the list's tasks, or the caller's idempotency keys. */
export type Quota = 'tasks' | 'idempotency-keys';

/**
 * Why a task could not go into a list: a quota; the caller is no editor of it (or it is gone); the
 * assignee is not one of its members.
 */
export type Refusal = { quota: Quota } | { notAllowed: true } | { unassignable: true };

export type Inserted = { task: TaskRow } | Refusal;

/**
 * What a keyed insert found: the task it created, the one a first request created, a key used for
 * another request, or a refusal.
 */
export type KeyedInsert = { task: TaskRow; replayed: boolean } | { reused: true } | Refusal;

/** What a move found: the moved task, a refusal by the target list, or no such task outside it. */
export type Moved = { task: TaskRow } | Refusal | { notOutside: true };

/**
 * Locks the caller's counter row (creating it on a first key) and reads it: every keyed create of the
 * caller takes this lock first, so the key quota checked under it holds whatever runs concurrently.
 */
const LOCK_KEY_COUNTER = `INSERT INTO task_counts AS c (user_id) VALUES ($1)
  ON CONFLICT (user_id) DO UPDATE SET idempotency_keys = c.idempotency_keys
  RETURNING idempotency_keys`;

/**
 * A move locks the target list's counter row and reads it, with what a task needs to enter the list:
 * the caller an editor of it, the assignee (if any) a member. A create takes the same lock first
 * (`INSERT_RECORDED`), so the quota checked under it holds whatever runs concurrently (the insert
 * trigger updates the same row before the commit releases it). `$1` list, `$2` caller, `$3` editor
 * roles, `$4` assignee.
 */
const COUNTER = `counter AS (
    INSERT INTO list_counters AS c (list_id) VALUES ($1) ON CONFLICT (list_id) DO UPDATE SET tasks = c.tasks
    RETURNING tasks)`;
const ALLOWED = `EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = $1 AND m.user_id = $2 AND m.role = ANY($3::text[]))`;
const ASSIGNABLE = `($4::uuid IS NULL OR EXISTS (SELECT 1 FROM list_members a WHERE a.list_id = $1 AND a.user_id = $4::uuid))`;
const ADMIT = `WITH ${COUNTER} SELECT counter.tasks AS "listTasks", ${ALLOWED} AS allowed, ${ASSIGNABLE} AS assignable
  FROM counter`;

/**
 * A create and its change in one statement. The list's counter row is locked and its next change
 * number taken only while the caller is an editor, the assignee a member and the list below
 * MAX_TASKS_PER_LIST (`$11`), checked again on the row as it is once locked; the task goes in only
 * then (from `position`). The insert trigger counts it on the same row before the commit releases
 * it, so the quota holds whatever runs concurrently. The checks come back too, as of the
 * statement's snapshot, to tell why nothing went in.
 */
const INSERT_RECORDED = `WITH ${positionCte(`c.list_id = $1 AND c.tasks < $11 AND ${ALLOWED} AND ${ASSIGNABLE}`)},
  inserted AS (
    INSERT INTO tasks (list_id, user_id, created_by, updated_by, assignee_id, title, description, completed,
      completed_at, completed_by, priority, due_at, tags)
    SELECT $1::uuid, $2::uuid, $2::uuid, $2::uuid, $4::uuid, $5::text, $6::text, $7::boolean,
      CASE WHEN $7::boolean THEN now() END, CASE WHEN $7::boolean THEN $2::uuid END, $8::text, $9::timestamptz,
      $10::text[]
      FROM position
    RETURNING ${TASK_COLUMNS}),
  change AS (
    SELECT i."listId" AS list_id, i.id AS entity_id, i.version, 'task.created' AS type, (${taskJsonText('i', 'field')})::jsonb AS data,
           NULL AS reason
      FROM inserted i),
  ${loggedCte({ source: 'change', entity: 'task', op: 'upsert', actor: '$2::uuid' })}
SELECT (SELECT tasks FROM list_counters WHERE list_id = $1) AS "listTasks", ${ALLOWED} AS allowed,
       ${ASSIGNABLE} AS assignable, position.seq, inserted.*
  FROM (SELECT 1) statement LEFT JOIN position ON true LEFT JOIN inserted ON true`;

/** Creates refused by the statement's locked checks but not by its snapshot (a concurrent create filled the list) run again this often. */
const INSERT_ATTEMPTS = 5;

interface Admission {
  listTasks: number;
  allowed: boolean;
  assignable: boolean;
}

const EXPIRED = `created_at < now() - interval '${IDEMPOTENCY_KEY_TTL_HOURS} hours'`;

/** How often an instance purges expired keys at most: housekeeping, not correctness (a key expires by itself). */
const PURGE_INTERVAL_MS = 60_000;

/**
 * A list row: a task as its JSON text (`taskJsonText`), its id and sort key for the cursor, and the
 * total on every row (or alone, with the others null, when the page is empty).
 */
export interface ListRow {
  json: string;
  id: string;
  sortKey: string | number;
  total: string | number;
}

/**
 * Every SQL statement of the tasks module (a hot path: see `SqlRunner`).
 * Each one is scoped by a `TaskAccess` (`accessConditions`): the caller's
 * lists, confirmed by `list_members`, so isolation does not rest on the route
 * guards alone: a task of another list is simply absent. `versions` is the
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
    private readonly changes: ChangeLog,
    @Inject(limitsConfig.KEY) private readonly limits: ConfigType<typeof limitsConfig>,
  ) {}

  /** One page and the total, in one statement (`buildListStatement`). */
  page(plan: ListPlan): Promise<ListRow[]> {
    const statement = buildListStatement(plan);
    return this.sql.query<ListRow>(statement.text, statement.values);
  }

  /** The new task in `listId` and its change, checked and inserted in one statement (`INSERT_RECORDED`). */
  insert(callerId: string, listId: string, task: NewTask): Promise<Inserted> {
    return this.insertIn(this.sql, callerId, listId, task).catch(listGoneAsRefusal);
  }

  private async insertIn(session: SqlSession, callerId: string, listId: string, task: NewTask): Promise<Inserted> {
    const values = [...taskValues(callerId, listId, task), this.limits.maxTasksPerList];
    for (let attempt = 1; attempt <= INSERT_ATTEMPTS; attempt++) {
      const [{ listTasks, allowed, assignable, seq, ...inserted }] = await session.query<
        Admission & { seq: string | null } & Partial<TaskRow>
      >(INSERT_RECORDED, values);
      if (seq !== null) {
        session.afterCommit(() => this.changes.announce(listId, Number(seq)));
        return { task: inserted as TaskRow };
      }
      const refusal = this.refusalOf({ listTasks, allowed, assignable });
      if (refusal) return refusal;
    }
    // Every list has its counter row from its creation: checks that pass on a row never found are a bug.
    throw new Error(`List ${listId} admitted a task ${INSERT_ATTEMPTS} times but its counter row refused it`);
  }

  /**
   * Inserts the task once per `(caller, key)` within the key's lifetime. The
   * key row and the task commit together. A concurrent request with the same
   * key waits on the key row's primary key until the first commits, then
   * finds it: one task, whatever the timing. An expired key is taken over.
   */
  async insertOnce(
    callerId: string,
    listId: string,
    key: string,
    fingerprint: string,
    task: NewTask,
  ): Promise<KeyedInsert> {
    const result = await this.sql
      .transaction(async (tx): Promise<KeyedInsert> => {
        // First, so that every keyed transaction of this caller waits here, before it holds any key row.
        const [counters] = await tx.query<{ idempotency_keys: number }>(LOCK_KEY_COUNTER, [callerId]);
        const expired = await tx.query(
          `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND ${EXPIRED} RETURNING 1`,
          [callerId, key],
        );
        const claimed = await tx.query(
          `INSERT INTO idempotency_keys (user_id, key, fingerprint) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
          [callerId, key, fingerprint],
        );
        if (claimed.length === 0) {
          const [first] = await tx.query<{ fingerprint: string; response: TaskRow }>(
            `SELECT fingerprint, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
            [callerId, key],
          );
          return first.fingerprint === fingerprint ? { task: first.response, replayed: true } : { reused: true };
        }
        // A refusal throws, so the transaction rolls the claimed key back.
        if (counters.idempotency_keys - expired.length >= this.limits.maxIdempotencyKeysPerUser) {
          throw new Refused({ quota: 'idempotency-keys' });
        }
        const inserted = await this.insertIn(tx, callerId, listId, task);
        if (!('task' in inserted)) throw new Refused(inserted);
        const created = inserted.task;
        await tx.query(`UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2`, [
          callerId,
          key,
          created,
        ]);
        return { task: created, replayed: false };
      })
      .catch(refusalOf)
      .catch(listGoneAsRefusal);
    await this.purgeExpiredKeys();
    return result;
  }

  /** Within `tx`: the target list's counter locked and its checks passed, or a `Refused` thrown. */
  private async admit(tx: SqlSession, listId: string, callerId: string, assigneeId: string | null): Promise<void> {
    const [admission] = await tx.query<Admission>(ADMIT, [listId, callerId, WRITE_ROLES, assigneeId]);
    const refusal = this.refusalOf(admission);
    if (refusal) throw new Refused(refusal);
  }

  private refusalOf({ listTasks, allowed, assignable }: Admission): Refusal | undefined {
    if (!allowed) return { notAllowed: true };
    if (!assignable) return { unassignable: true };
    if (listTasks >= this.limits.maxTasksPerList) return { quota: 'tasks' };
    return undefined;
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

  async find(id: string, access: TaskAccess): Promise<TaskRow | undefined> {
    const values: unknown[] = [id];
    const scope = accessConditions(access, paramsOf(values));
    const rows = await this.sql.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.id = $1 AND ${scope.join(' AND ')}`,
      values,
    );
    return rows[0];
  }

  /** Sets the given fields in one statement; an assignee must be a member of the task's list. */
  update(id: string, access: TaskAccess, changes: TaskChanges, versions?: number[]): Promise<TaskRow | undefined> {
    return this.updateWhere(
      id,
      access,
      versions,
      (param) => {
        const sets: string[] = [];
        const set = (column: string, value: unknown, cast = '') => sets.push(`${column} = ${param(value, cast)}`);
        if (changes.title !== undefined) set('title', changes.title);
        if (changes.description !== undefined) set('description', changes.description);
        if (changes.priority !== undefined) set('priority', changes.priority);
        if (changes.dueAt !== undefined) set('due_at', toDate(changes.dueAt));
        if (changes.tags !== undefined) set('tags', changes.tags);
        if (changes.assigneeId !== undefined) set('assignee_id', changes.assigneeId, '::uuid');
        if (changes.completed !== undefined) {
          const completed = param(changes.completed, '::boolean');
          sets.push(`completed = ${completed}`, completedAtFor(completed), completedByFor(completed, '$2'));
        }
        return sets;
      },
      changes.completed,
      changes.assigneeId ?? undefined,
    );
  }

  /** Flips `completed` in one statement, so concurrent toggles never lose one. */
  toggle(id: string, access: TaskAccess, versions?: number[]): Promise<TaskRow | undefined> {
    return this.updateWhere(
      id,
      access,
      versions,
      () => ['completed = NOT completed', completedAtFor('NOT completed'), completedByFor('NOT completed', '$2')],
      'toggle',
    );
  }

  /** True when a task was deleted. */
  async delete(id: string, access: TaskAccess, versions?: number[]): Promise<boolean> {
    const values: unknown[] = [id];
    const param = paramsOf(values);
    const conditions = [`t.id = $1`, ...accessConditions(access, param), ...versionConditions(versions, param)];
    const actor = param(access.callerId, '::uuid');
    const [gone] = await this.sql.write<{ listId: string; seq: string }>(
      `WITH gone AS (DELETE FROM tasks t WHERE ${conditions.join(' AND ')} RETURNING list_id, id, version),
         change AS (
           SELECT list_id, id AS entity_id, version, 'task.deleted' AS type, NULL::jsonb AS data, 'deleted' AS reason
             FROM gone),
         ${positionCte(counterOf(access, param), 'FROM change s')},
         ${loggedCte({ source: 'change', entity: 'task', op: 'delete', actor })}
       SELECT list_id AS "listId", seq FROM position`,
      values,
    );
    if (!gone) return false;
    this.changes.announce(gone.listId, Number(gone.seq));
    return true;
  }

  /**
   * Moves the task to `target` with the changes, in one transaction: a delete and an insert that keep
   * its id, creator and creation time, with the next version (Citus cannot update the distribution
   * column). The target's counter row is locked and checked as for a create. `notOutside`: no such task
   * (with those versions) in the caller's other lists: it may be in the target already.
   */
  move(id: string, access: TaskAccess, target: string, changes: TaskChanges, versions?: number[]): Promise<Moved> {
    return this.sql
      .transaction(
        async (tx): Promise<Moved> => {
          const values: unknown[] = [id];
          const param = paramsOf(values);
          const conditions = [
            `t.id = $1`,
            ...accessConditions(access, param),
            `t.list_id <> ${param(target, '::uuid')}`,
            ...versionConditions(versions, param),
          ];
          const [old] = await tx.query<TaskRow>(
            `DELETE FROM tasks t WHERE ${conditions.join(' AND ')} RETURNING ${TASK_COLUMNS}`,
            values,
          );
          if (!old) return { notOutside: true };
          const task: NewTask = { ...old, ...definedOf(changes) };
          await this.admit(tx, target, access.callerId, task.assigneeId);
          const [moved] = await tx.query<TaskRow>(
            `INSERT INTO tasks (id, list_id, user_id, created_by, updated_by, assignee_id, title, description,
               completed, completed_at, completed_by, priority, due_at, tags, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::boolean,
               task_completed_at($9::boolean, $10::timestamptz, now()),
               CASE WHEN $9::boolean THEN COALESCE($11::uuid, $5::uuid) END,
               $12, $13, $14, $15, $16, now())
             RETURNING ${TASK_COLUMNS}`,
            [
              old.id,
              target,
              old.userId,
              old.createdBy,
              access.callerId,
              task.assigneeId,
              task.title,
              task.description,
              task.completed,
              old.completedAt,
              old.completedBy,
              task.priority,
              toDate(task.dueAt),
              task.tags,
              old.version + 1,
              old.createdAt,
            ],
          );
          // Gone from the old list (a reader who cannot see the new one drops it), new in the target.
          await this.changes.record(tx, deletionOf({ ...old, version: moved.version }, 'moved', access.callerId));
          await this.changes.record(tx, upsertOf(moved, 'task.created', access.callerId));
          return { task: moved };
        },
        { retry: true },
      )
      .catch(refusalOf)
      .catch(listGoneAsRefusal);
  }

  /**
   * Sets `completed` on every matching task in scope that is not in that state yet, in one statement
   * (atomic: all or none). Returns how many changed.
   */
  async setCompletedMatching(access: TaskAccess, filters: ListFilters, completed: boolean): Promise<number> {
    const values: unknown[] = [];
    const param = paramsOf(values);
    const conditions = filterConditions(filters, access, param);
    const target = param(completed, '::boolean');
    const by = param(access.callerId, '::uuid');
    conditions.push(`completed <> ${target}`);
    return this.sql.transaction(
      async (tx) => {
        const rows = await tx.query<TaskRow>(
          `UPDATE tasks t SET completed = ${target}, ${completedAtFor(target)}, ${completedByFor(target, by)},
                            updated_by = ${by}, ${BUMP}
            WHERE ${conditions.join(' AND ')}
            RETURNING ${TASK_COLUMNS}`,
          values,
        );
        const type = completed ? 'task.completed' : 'task.reopened';
        await this.changes.recordAll(
          tx,
          rows.map((row) => upsertOf(row, type, access.callerId)),
        );
        return rows.length;
      },
      { retry: true },
    );
  }

  /** Deletes every completed task in scope in one statement. Returns how many went. */
  async deleteCompleted(access: TaskAccess): Promise<number> {
    const values: unknown[] = [];
    const conditions = [...accessConditions(access, paramsOf(values)), 'completed'];
    return this.sql.transaction(
      async (tx) => {
        const gone = await tx.query<{ id: string; listId: string; version: number }>(
          `DELETE FROM tasks t WHERE ${conditions.join(' AND ')} RETURNING id, list_id AS "listId", version`,
          values,
        );
        await this.changes.recordAll(
          tx,
          gone.map((row) => deletionOf(row, 'deleted', access.callerId)),
        );
        return gone.length;
      },
      { retry: true },
    );
  }

  /**
   * Within an account's deletion: the tasks assigned to it become unassigned, each a new version. On
   * Citus this update reaches every shard, and a transaction that wrote to shards in parallel may not
   * then write to a reference table (the account's `users` row): the transaction goes sequential first
   * (a placeholder setting, without effect, on a server without Citus).
   */
  async unassignAll(tx: SqlSession, userId: string): Promise<void> {
    await tx.query(`SET LOCAL citus.multi_shard_modify_mode TO 'sequential'`);
    const rows = await tx.query<TaskRow>(
      `UPDATE tasks SET assignee_id = NULL, ${BUMP} WHERE assignee_id = $1 RETURNING ${TASK_COLUMNS}`,
      [userId],
    );
    // The system's change, not a member's: no actor.
    await this.changes.recordAll(
      tx,
      rows.map((row) => upsertOf(row, 'task.updated', null)),
    );
  }

  /** Whether the task was completed, read before a write within its transaction. */
  private completedBefore(tx: SqlSession, id: string, access: TaskAccess): Promise<{ completed: boolean }[]> {
    const values: unknown[] = [id];
    const scope = accessConditions(access, paramsOf(values));
    return tx.query(`SELECT t.completed FROM tasks t WHERE t.id = $1 AND ${scope.join(' AND ')}`, values);
  }

  /** `$1` the task, `$2` the writer; `assignments` adds its own parameters after those. */
  private async updateWhere(
    id: string,
    access: TaskAccess,
    versions: number[] | undefined,
    assignments: (param: (value: unknown, cast?: string) => string) => string[],
    completion?: boolean | 'toggle',
    assigneeId?: string,
  ): Promise<TaskRow | undefined> {
    const values: unknown[] = [id, access.callerId];
    const param = paramsOf(values);
    const sets = [...assignments(param), 'updated_by = $2::uuid', BUMP];
    const conditions = [`t.id = $1`, ...accessConditions(access, param), ...versionConditions(versions, param)];
    if (assigneeId !== undefined) {
      conditions.push(
        `EXISTS (SELECT 1 FROM list_members a WHERE a.list_id = t.list_id AND a.user_id = ${param(assigneeId, '::uuid')})`,
      );
    }
    const where = conditions.join(' AND ');
    const statement = (
      type: string,
    ) => `WITH written AS (UPDATE tasks t SET ${sets.join(', ')} WHERE ${where} RETURNING ${TASK_COLUMNS}),
         change AS (
           SELECT w."listId" AS list_id, w.id AS entity_id, w.version, ${type} AS type,
                  (${taskJsonText('w', 'field')})::jsonb AS data, NULL AS reason
             FROM written w),
         ${positionCte(counterOf(access, param), 'FROM change s')},
         ${loggedCte({ source: 'change', entity: 'task', op: 'upsert', actor: '$2::uuid' })}
       SELECT written.*, position.seq FROM written, position`;
    // Reopening: whether it was completed is known only from before the write (completing shows it
    // after), read first in the write's transaction. (Not a CTE beside the write: Citus runs a
    // statement's CTEs one after the other, so such a read would see the write.)
    const [row] =
      completion === false
        ? await this.sql.transaction(
            async (tx) => {
              const [before] = await this.completedBefore(tx, id, access);
              return tx.query<TaskRow & { seq: string }>(statement(reopenType(before?.completed)), values);
            },
            { retry: true },
          )
        : await this.sql.write<TaskRow & { seq: string }>(statement(updateType(completion)), values);
    if (!row) return undefined;
    const { seq, ...task } = row;
    this.changes.announce(task.listId, Number(seq));
    return task;
  }
}

/** The task as its routes answer, as a change. */
function upsertOf(task: TaskRow, type: ChangeType, actorId: string | null): ChangeInput {
  return {
    listId: task.listId,
    entity: 'task',
    op: 'upsert',
    id: task.id,
    version: task.version,
    type,
    data: task,
    actorId,
  };
}

function deletionOf(
  task: { id: string; listId: string; version: number },
  reason: 'deleted' | 'moved',
  actorId: string,
): ChangeInput {
  const { id, listId, version } = task;
  return { listId, entity: 'task', op: 'delete', id, version, type: 'task.deleted', reason, actorId };
}

/**
 * What an edit of the row `w` was, in SQL: `completed` flipped by it (a toggle always flips it; set to
 * true, the completion time is the write's own; set to false, it was completed `before`) or not.
 */
function updateType(completion: boolean | 'toggle' | undefined): string {
  const types: Record<string, ChangeType> = {
    updated: 'task.updated',
    completed: 'task.completed',
    reopened: 'task.reopened',
  };
  if (completion === 'toggle') return `CASE WHEN w.completed THEN '${types.completed}' ELSE '${types.reopened}' END`;
  if (completion === true) {
    return `CASE WHEN w."completedAt" = w."updatedAt" THEN '${types.completed}' ELSE '${types.updated}' END`;
  }
  return `'${types.updated}'`;
}

/** What setting `completed` to false was: a reopening when the task was completed before. */
function reopenType(wasCompleted: boolean | undefined): string {
  const type: ChangeType = wasCompleted ? 'task.reopened' : 'task.updated';
  return `'${type}'`;
}

/**
 * Which counter row numbers the change of the row written (`s`): its list's; on one known list named
 * by id too, so that Citus routes the whole statement to that list's shard.
 */
function counterOf(access: TaskAccess, param: (value: unknown, cast?: string) => string): string {
  const row = 'c.list_id = s.list_id';
  return access.lists.length === 1 ? `${row} AND c.list_id = ${param(access.lists[0], '::uuid')}` : row;
}

function taskValues(callerId: string, listId: string, task: NewTask): unknown[] {
  return [
    listId,
    callerId,
    WRITE_ROLES,
    task.assigneeId,
    task.title,
    task.description,
    task.completed,
    task.priority,
    toDate(task.dueAt),
    task.tags,
  ];
}

/** A parameter list that grows as conditions name values: `param(value, cast)` is its placeholder. */
function paramsOf(values: unknown[]): (value: unknown, cast?: string) => string {
  return (value, cast = '') => {
    values.push(value);
    return `$${values.length}${cast}`;
  };
}

function versionConditions(versions: number[] | undefined, param: (value: unknown, cast?: string) => string): string[] {
  return versions ? [`version = ANY(${param(versions, '::int[]')})`] : [];
}

/** The changes given (an `undefined` field keeps its value). */
function definedOf(changes: TaskChanges): TaskChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}

/** Thrown inside a transaction, so that it rolls back. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super('refused');
  }
}

function refusalOf(error: unknown): Refusal {
  if (error instanceof Refused) return error.refusal;
  throw error;
}

/** The list was deleted while the task went into it (its counter row's foreign key): as if no member. */
function listGoneAsRefusal(error: unknown): Refusal {
  if (isForeignKeyViolation(error)) return { notAllowed: true };
  throw error;
}

/** Validated timestamps may carry any offset; a Date hands PostgreSQL the instant itself. */
function toDate(value: string | null | undefined): Date | null {
  return value == null ? null : new Date(value);
}
