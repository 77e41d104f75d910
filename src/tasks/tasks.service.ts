import { Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { ifMatchAllows, parseIfMatch } from '../common/http/etag.js';
import { IdempotencyKeyReusedException } from '../common/problems/idempotency-key-reused.exception.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { ListTasksQuery } from './dto/list-tasks.query.js';
import type { TaskFilterQuery } from './dto/task-filter.query.js';
import type { ReplaceTaskDto } from './dto/replace-task.dto.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import { decodeCursor, encodeCursor } from './list/list-cursor.js';
import { SORTS } from './list/task-sort.js';
import type { TaskRow } from './task-columns.js';
import { TaskPriority } from './task-priority.js';
import { type NewTask, type TaskChanges, TasksRepository } from './tasks.repository.js';

export interface TaskPage {
  tasks: TaskRow[];
  total: number;
  nextCursor: string | null;
}

/**
 * The rules of the caller's tasks: defaults, `If-Match`, 404 versus 412, and
 * keyset paging. The statements are `TasksRepository`'s; each is scoped to
 * the owner.
 */
@Injectable()
export class TasksService {
  constructor(private readonly tasks: TasksRepository) {}

  async list(ownerId: string, query: ListTasksQuery): Promise<TaskPage> {
    const { sort, limit } = query;
    const order = query.order ?? SORTS[sort].defaultOrder;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
    const rows = await this.tasks.page({ ownerId, filters: query, sort, order, fetch: limit + 1, after });
    const total = Number(rows[0]?.total ?? 0);
    const page = rows.filter((row) => row.id !== null);
    const hasMore = page.length > limit;
    if (hasMore) page.length = limit;
    const last = page.at(-1);
    const nextCursor = hasMore && last ? encodeCursor(sort, order, { key: last.sortKey, id: last.id }) : null;
    return { tasks: page.map(({ total: _total, sortKey: _sortKey, ...task }) => task), total, nextCursor };
  }

  create(ownerId: string, dto: CreateTaskDto): Promise<TaskRow> {
    return this.tasks.insert(ownerId, newTask(dto));
  }

  /**
   * A create under an `Idempotency-Key`: the first request with the key
   * creates; a repeat with the same body gets the first task back and creates
   * nothing; a repeat with another body is a 422 (IETF httpapi
   * idempotency-key draft). Keys belong to the caller.
   */
  async createOnce(ownerId: string, dto: CreateTaskDto, key: string, fingerprint: string): Promise<TaskRow> {
    const result = await this.tasks.insertOnce(ownerId, key, fingerprint, newTask(dto));
    if ('reused' in result) {
      throw new IdempotencyKeyReusedException(
        'This Idempotency-Key was already used with a different request body; use a new key for a new request',
      );
    }
    return result.task;
  }

  async findOwnedOrFail(id: string, ownerId: string): Promise<TaskRow> {
    const task = await this.tasks.findOwned(id, ownerId);
    if (!task) throw taskNotFound();
    return task;
  }

  /** 404 when the caller has no such task; 412 when `If-Match` names another version. */
  async assertWritable(id: string, ownerId: string, ifMatchHeader: string | string[] | undefined): Promise<void> {
    const { version } = await this.findOwnedOrFail(id, ownerId);
    if (!ifMatchAllows(parseIfMatch(ifMatchHeader), version)) throw preconditionFailed();
  }

  /** `PUT`: every writable field; the omitted ones return to their defaults. */
  replace(id: string, ownerId: string, dto: ReplaceTaskDto, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(id, ownerId, ifMatch, newTask(dto));
  }

  /** `PATCH`: only the fields given. */
  update(id: string, ownerId: string, dto: UpdateTaskDto, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(id, ownerId, ifMatch, dto);
  }

  /** `/complete` with a value: sets it. */
  setCompleted(id: string, ownerId: string, completed: boolean, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(id, ownerId, ifMatch, { completed });
  }

  /** Flips `completed` atomically. */
  async toggle(id: string, ownerId: string, ifMatch?: string | string[]): Promise<TaskRow> {
    return (await this.tasks.toggleOwned(id, ownerId, versionsOf(ifMatch))) ?? this.explainMiss(id, ownerId);
  }

  /** Every matching task takes `completed`; returns how many changed. */
  completeMatching(ownerId: string, filters: TaskFilterQuery, completed: boolean): Promise<number> {
    return this.tasks.setCompletedMatching(ownerId, filters, completed);
  }

  /** Deletes every completed task; returns how many. */
  clearCompleted(ownerId: string): Promise<number> {
    return this.tasks.deleteCompleted(ownerId);
  }

  async remove(id: string, ownerId: string, ifMatch?: string | string[]): Promise<void> {
    if (!(await this.tasks.deleteOwned(id, ownerId, versionsOf(ifMatch)))) await this.explainMiss(id, ownerId);
  }

  private async write(
    id: string,
    ownerId: string,
    ifMatch: string | string[] | undefined,
    changes: TaskChanges,
  ): Promise<TaskRow> {
    return (await this.tasks.updateOwned(id, ownerId, changes, versionsOf(ifMatch))) ?? this.explainMiss(id, ownerId);
  }

  /** A conditional write touched nothing: either the task is gone (404) or its version moved on (412). */
  private async explainMiss(id: string, ownerId: string): Promise<never> {
    await this.assertWritable(id, ownerId, undefined);
    throw preconditionFailed();
  }
}

/** A new task's values, defaults applied. */
function newTask(dto: CreateTaskDto): NewTask {
  return {
    title: dto.title,
    description: dto.description ?? null,
    completed: dto.completed ?? false,
    priority: dto.priority ?? TaskPriority.Medium,
    dueAt: dto.dueAt ?? null,
    tags: dto.tags ?? [],
  };
}

/** The versions `If-Match` allows a write on; `undefined` when any will do (no header, or `*`). */
function versionsOf(ifMatch: string | string[] | undefined): number[] | undefined {
  const condition = parseIfMatch(ifMatch);
  return condition && !condition.any ? condition.versions : undefined;
}

function taskNotFound(): NotFoundException {
  return new NotFoundException('Task not found');
}

function preconditionFailed(): PreconditionFailedException {
  return new PreconditionFailedException('The task has changed: If-Match does not match its current ETag');
}
