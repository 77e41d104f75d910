import { Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { type IfMatch, ifMatchAllows, parseIfMatch } from '../common/http/etag.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { ListTasksQuery } from './dto/list-tasks.query.js';
import type { ReplaceTaskDto } from './dto/replace-task.dto.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import { decodeCursor, encodeCursor } from './list/list-cursor.js';
import { buildListStatement } from './list/list-statement.js';
import { SORTS } from './list/task-sort.js';
import { retryTransient } from './retry-transient.js';
import { TASK_COLUMNS, type TaskRow } from './task-columns.js';
import { TaskSql } from './task-sql.js';
import { TaskPriority } from './task-priority.js';

/** Every write bumps the version and the update time, even when no value changed. */
const BUMP = 'version = version + 1, updated_at = now()';

/** `completed_at` follows `completed`: kept while it stays completed, set when it becomes so, cleared otherwise. */
const completedAtFor = (param: string) =>
  `completed_at = CASE WHEN ${param}::boolean THEN COALESCE(completed_at, now()) ELSE NULL END`;

export interface TaskPage {
  tasks: TaskRow[];
  total: number;
  nextCursor: string | null;
}

/** A list row: a task with its sort key, and the total on every row (or alone, when the page is empty). */
type ListRow = TaskRow & { total: string | number; sortKey: string | number };

/**
 * The caller's tasks. Every statement filters on the owner, so isolation does
 * not depend on the route guards alone; another user's task is simply absent.
 */
@Injectable()
export class TasksService {
  constructor(private readonly sql: TaskSql) {}

  async list(ownerId: string, query: ListTasksQuery): Promise<TaskPage> {
    const { sort, limit } = query;
    const order = query.order ?? SORTS[sort].defaultOrder;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
    const statement = buildListStatement({ ownerId, filters: query, sort, order, fetch: limit + 1, after });
    const rows: ListRow[] = await this.sql.query(statement.text, statement.values);
    const total = Number(rows[0]?.total ?? 0);
    const page = rows.filter((row) => row.id !== null);
    const hasMore = page.length > limit;
    if (hasMore) page.length = limit;
    const last = page.at(-1);
    const nextCursor = hasMore && last ? encodeCursor(sort, order, { key: last.sortKey, id: last.id }) : null;
    return { tasks: page.map(({ total: _total, sortKey: _sortKey, ...task }) => task), total, nextCursor };
  }

  async create(ownerId: string, dto: CreateTaskDto): Promise<TaskRow> {
    const completed = dto.completed ?? false;
    const rows: TaskRow[] = await retryTransient(() =>
      this.sql.query(
        `INSERT INTO tasks (user_id, title, description, completed, completed_at, priority, due_at, tags)
       VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN now() END, $5, $6, $7)
       RETURNING ${TASK_COLUMNS}`,
        [
          ownerId,
          dto.title,
          dto.description ?? null,
          completed,
          dto.priority ?? TaskPriority.Medium,
          toDate(dto.dueAt),
          dto.tags ?? [],
        ],
      ),
    );
    return rows[0];
  }

  async findOwnedOrFail(id: string, ownerId: string): Promise<TaskRow> {
    const rows: TaskRow[] = await this.sql.query(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2`, [
      id,
      ownerId,
    ]);
    if (rows.length === 0) throw taskNotFound();
    return rows[0];
  }

  /** 404 when the caller has no such task; 412 when `If-Match` names another version. */
  async assertWritable(id: string, ownerId: string, ifMatchHeader: string | string[] | undefined): Promise<void> {
    const { version } = await this.findOwnedOrFail(id, ownerId);
    if (!ifMatchAllows(parseIfMatch(ifMatchHeader), version)) throw preconditionFailed();
  }

  /** `PUT`: every writable field; the omitted ones return to their defaults. */
  replace(id: string, ownerId: string, dto: ReplaceTaskDto, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(id, ownerId, ifMatch, {
      title: dto.title,
      description: dto.description ?? null,
      completed: dto.completed ?? false,
      priority: dto.priority ?? TaskPriority.Medium,
      dueAt: dto.dueAt ?? null,
      tags: dto.tags ?? [],
    });
  }

  /** `PATCH`: only the fields given. */
  update(id: string, ownerId: string, dto: UpdateTaskDto, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(id, ownerId, ifMatch, dto);
  }

  /** `/complete` with a value: sets it. */
  setCompleted(id: string, ownerId: string, completed: boolean, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(id, ownerId, ifMatch, { completed });
  }

  /** Flips `completed` in one statement, so concurrent toggles never lose one. */
  toggle(id: string, ownerId: string, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.updateWhere(
      id,
      ownerId,
      ifMatch,
      `completed = NOT completed, completed_at = CASE WHEN completed THEN NULL ELSE now() END, ${BUMP}`,
      [],
    );
  }

  async remove(id: string, ownerId: string, ifMatch?: string | string[]): Promise<void> {
    const condition = parseIfMatch(ifMatch);
    const rows = await retryTransient(() =>
      this.sql.query<{ id: string }>(
        `DELETE FROM tasks WHERE id = $1 AND user_id = $2 ${versionClause(condition, 3)} RETURNING id`,
        [id, ownerId, ...versionParams(condition)],
      ),
    );
    if (rows.length === 0) await this.explainMiss(id, ownerId);
  }

  private write(id: string, ownerId: string, ifMatch: string | string[] | undefined, fields: UpdateTaskDto) {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length + 2}`);
    };
    if (fields.title !== undefined) set('title', fields.title);
    if (fields.description !== undefined) set('description', fields.description);
    if (fields.priority !== undefined) set('priority', fields.priority);
    if (fields.dueAt !== undefined) set('due_at', toDate(fields.dueAt));
    if (fields.tags !== undefined) set('tags', fields.tags);
    if (fields.completed !== undefined) {
      set('completed', fields.completed);
      sets.push(completedAtFor(`$${params.length + 2}`));
    }
    sets.push(BUMP);
    return this.updateWhere(id, ownerId, ifMatch, sets.join(', '), params);
  }

  private async updateWhere(
    id: string,
    ownerId: string,
    ifMatch: string | string[] | undefined,
    assignments: string,
    params: unknown[],
  ): Promise<TaskRow> {
    const condition = parseIfMatch(ifMatch);
    const rows = await retryTransient(() =>
      this.sql.query<TaskRow>(
        `UPDATE tasks SET ${assignments}
        WHERE id = $1 AND user_id = $2 ${versionClause(condition, params.length + 3)}
        RETURNING ${TASK_COLUMNS}`,
        [id, ownerId, ...params, ...versionParams(condition)],
      ),
    );
    if (rows.length === 0) await this.explainMiss(id, ownerId);
    return rows[0];
  }

  /** A conditional write touched nothing: either the task is gone (404) or its version moved on (412). */
  private async explainMiss(id: string, ownerId: string): Promise<never> {
    await this.assertWritable(id, ownerId, undefined);
    throw preconditionFailed();
  }
}

/** Validated timestamps may carry any offset; a Date hands PostgreSQL the instant itself. */
function toDate(value: string | null | undefined): Date | null {
  return value == null ? null : new Date(value);
}

function versionClause(condition: IfMatch | undefined, index: number): string {
  return condition && !condition.any ? `AND version = ANY($${index}::int[])` : '';
}

function versionParams(condition: IfMatch | undefined): unknown[] {
  return condition && !condition.any ? [condition.versions] : [];
}

function taskNotFound(): NotFoundException {
  return new NotFoundException('Task not found');
}

function preconditionFailed(): PreconditionFailedException {
  return new PreconditionFailedException('The task has changed: If-Match does not match its current ETag');
}
