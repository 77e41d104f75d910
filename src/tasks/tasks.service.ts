import { Inject, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ifMatchAllows, ifMatchCondition, parseIfMatch } from '../common/http/etag.js';
import { IdempotencyKeyReusedException } from '../common/problems/idempotency-key-reused.exception.js';
import { LimitReachedException } from '../common/problems/limit-reached.exception.js';
import { limitsConfig } from '../config/limits.config.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { ListTasksQuery } from './dto/list-tasks.query.js';
import type { TaskFilterQuery } from './dto/task-filter.query.js';
import type { ReplaceTaskDto } from './dto/replace-task.dto.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import { decodeCursor, encodeCursor } from './list/list-cursor.js';
import { SORTS } from './list/task-sort.js';
import type { TaskRow } from './task-columns.js';
import { TaskPriority } from './task-priority.js';
import { IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency-key.js';
import { type NewTask, type Quota, type TaskChanges, TasksRepository } from './tasks.repository.js';

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
  constructor(
    private readonly tasks: TasksRepository,
    @Inject(limitsConfig.KEY) private readonly limits: ConfigType<typeof limitsConfig>,
  ) {}

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

  async create(ownerId: string, dto: CreateTaskDto): Promise<TaskRow> {
    const task = await this.tasks.insert(ownerId, newTask(dto));
    if (!task) throw this.quotaReached('tasks');
    return task;
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
    if ('quota' in result) throw this.quotaReached(result.quota);
    return result.task;
  }

  /** A 409 `limit-reached` that names the quota, its value, and the way out. */
  private quotaReached(quota: Quota): LimitReachedException {
    if (quota === 'tasks') {
      return new LimitReachedException(
        `This account holds ${this.limits.maxTasksPerUser} tasks, the most allowed; delete some to create more`,
      );
    }
    return new LimitReachedException(
      `This account holds ${this.limits.maxIdempotencyKeysPerUser} idempotency keys, the most allowed; ` +
        `a key expires ${IDEMPOTENCY_KEY_TTL_HOURS} hours after its first use (or create without an Idempotency-Key)`,
    );
  }

  async findOwnedOrFail(id: string, ownerId: string): Promise<TaskRow> {
    const task = await this.tasks.findOwned(id, ownerId);
    if (!task) throw taskNotFound();
    return task;
  }

  /**
   * 404 when the caller has no such task; then 400 when `If-Match` is not a list of
   * entity tags, 412 when it names another version.
   */
  async assertWritable(id: string, ownerId: string, ifMatchHeader: string | string[] | undefined): Promise<void> {
    const { version } = await this.findOwnedOrFail(id, ownerId);
    if (!ifMatchAllows(ifMatchCondition(ifMatchHeader), version)) throw preconditionFailed();
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
    const versions = await this.versionsOf(id, ownerId, ifMatch);
    return (await this.tasks.toggleOwned(id, ownerId, versions)) ?? this.explainMiss(id, ownerId);
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
    const versions = await this.versionsOf(id, ownerId, ifMatch);
    if (!(await this.tasks.deleteOwned(id, ownerId, versions))) await this.explainMiss(id, ownerId);
  }

  private async write(
    id: string,
    ownerId: string,
    ifMatch: string | string[] | undefined,
    changes: TaskChanges,
  ): Promise<TaskRow> {
    const versions = await this.versionsOf(id, ownerId, ifMatch);
    return (await this.tasks.updateOwned(id, ownerId, changes, versions)) ?? this.explainMiss(id, ownerId);
  }

  /**
   * The versions `If-Match` allows a write on; `undefined` when any will do (no header, or `*`).
   * A malformed header is a 400, but existence comes first (404): only then is the task looked up.
   */
  private async versionsOf(
    id: string,
    ownerId: string,
    ifMatch: string | string[] | undefined,
  ): Promise<number[] | undefined> {
    const condition = parseIfMatch(ifMatch);
    if (condition === null) {
      await this.findOwnedOrFail(id, ownerId);
      return ifMatchCondition(ifMatch) as never;
    }
    return condition && !condition.any ? condition.versions : undefined;
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

function taskNotFound(): NotFoundException {
  return new NotFoundException('Task not found');
}

function preconditionFailed(): PreconditionFailedException {
  return new PreconditionFailedException('The task has changed: If-Match does not match its current ETag');
}
