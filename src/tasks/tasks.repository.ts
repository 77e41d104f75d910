import { Injectable } from '@nestjs/common';
import { SqlRunner } from '../database/sql-runner.js';
import { buildListStatement, type ListPlan } from './list/list-statement.js';
import { TASK_COLUMNS, type TaskRow } from './task-columns.js';
import type { TaskPriority } from './task-priority.js';

/** Every write bumps the version and the update time, even when no value changed. */
const BUMP = 'version = version + 1, updated_at = now()';

/**
 * `completed_at` follows `completed`: kept while it stays completed, set when it becomes so, cleared
 * otherwise (`task_completed_at`, migration DistributeByUser: Citus takes no now() inside a CASE).
 */
const completedAtFor = (completed: string) => `completed_at = task_completed_at(${completed}, completed_at, now())`;

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
  constructor(private readonly sql: SqlRunner) {}

  /** One page and the total, in one statement (`buildListStatement`). */
  page(plan: ListPlan): Promise<ListRow[]> {
    const statement = buildListStatement(plan);
    return this.sql.query<ListRow>(statement.text, statement.values);
  }

  async insert(ownerId: string, task: NewTask): Promise<TaskRow> {
    const rows = await this.sql.write<TaskRow>(
      `INSERT INTO tasks (user_id, title, description, completed, completed_at, priority, due_at, tags)
       VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END, $5, $6, $7)
       RETURNING ${TASK_COLUMNS}`,
      [ownerId, task.title, task.description, task.completed, task.priority, toDate(task.dueAt), task.tags],
    );
    return rows[0];
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
    }
    sets.push(BUMP);
    return this.updateWhere(id, ownerId, sets.join(', '), params, versions);
  }

  /** Flips `completed` in one statement, so concurrent toggles never lose one. */
  toggleOwned(id: string, ownerId: string, versions?: number[]): Promise<TaskRow | undefined> {
    return this.updateWhere(
      id,
      ownerId,
      `completed = NOT completed, ${completedAtFor('NOT completed')}, ${BUMP}`,
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

  private async updateWhere(
    id: string,
    ownerId: string,
    assignments: string,
    params: unknown[],
    versions: number[] | undefined,
  ): Promise<TaskRow | undefined> {
    const rows = await this.sql.write<TaskRow>(
      `UPDATE tasks SET ${assignments}
        WHERE id = $1 AND user_id = $2 ${versionClause(versions, params.length + 3)}
        RETURNING ${TASK_COLUMNS}`,
      [id, ownerId, ...params, ...versionParams(versions)],
    );
    return rows[0];
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
