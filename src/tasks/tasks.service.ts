import { Inject, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { type IfMatch, ifMatchAllows, ifMatchCondition, parseIfMatch } from '../common/http/etag.js';
import { InvalidTokenException } from '../common/problems/invalid-token.exception.js';
import { IdempotencyKeyReusedException } from '../common/problems/idempotency-key-reused.exception.js';
import { InsufficientRoleException } from '../common/problems/insufficient-role.exception.js';
import { LimitReachedException } from '../common/problems/limit-reached.exception.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { limitsConfig } from '../config/limits.config.js';
import { ListAccess, type Memberships } from '../lists/list-access.js';
import { atLeast, type ListRole } from '../lists/list-role.js';
import type { CreateTaskDto } from './dto/create-task.dto.js';
import type { ListTasksQuery } from './dto/list-tasks.query.js';
import type { TaskFilterQuery } from './dto/task-filter.query.js';
import type { ReplaceTaskDto } from './dto/replace-task.dto.js';
import type { UpdateTaskDto } from './dto/update-task.dto.js';
import { fingerprintOf, IDEMPOTENCY_KEY_TTL_HOURS } from './idempotency-key.js';
import { decodeCursor, encodeCursor } from './list/list-cursor.js';
import { READ_ROLES, type TaskAccess, WRITE_ROLES } from './list/task-access.js';
import type { ListFilters } from './list/task-filters.js';
import { SORTS } from './list/task-sort.js';
import type { TaskRow } from './task-columns.js';
import { TaskPriority } from './task-priority.js';
import { type NewTask, type Quota, type Refusal, type TaskChanges, TasksRepository } from './tasks.repository.js';

export interface TaskPage {
  /** The page's tasks as one JSON array text, as PostgreSQL wrote them (`taskJsonText`). */
  tasksJson: string;
  total: number;
  nextCursor: string | null;
}

/**
 * Where a request reaches tasks: the caller, and the list of `/api/lists/{listId}/tasks` (none under
 * `/api/tasks` and `/api/{userId}/tasks`, which reach every list the caller belongs to).
 */
export interface TaskScope {
  callerId: string;
  listId?: string;
}

/** An `Idempotency-Key` and the body it stands for. */
export interface KeyedRequest {
  key: string;
  body: unknown;
}

/** Writes that miss because the task moved under them (a move is a delete and an insert) are tried this often. */
const WRITE_ATTEMPTS = 8;

/**
 * The rules of tasks in lists: which list a request means, roles (`viewer` reads, `editor` writes),
 * defaults, `If-Match`, 404 versus 403 versus 412, moves, and keyset paging. The statements are
 * `TasksRepository`'s; each filters on the caller's membership again.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly access: ListAccess,
    @Inject(limitsConfig.KEY) private readonly limits: ConfigType<typeof limitsConfig>,
  ) {}

  async list(scope: TaskScope, query: ListTasksQuery): Promise<TaskPage> {
    const memberships = await this.access.memberships(scope.callerId);
    const lists = query.listId === undefined ? undefined : [this.namedList(scope, memberships, query.listId)];
    const access = this.accessOf(scope, memberships, READ_ROLES, lists);
    const { sort, limit } = query;
    const order = query.order ?? SORTS[sort].defaultOrder;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, sort, order);
    const filters = filtersOf(scope, query);
    const rows = await this.tasks.page({ access, filters, sort, order, fetch: limit + 1, after });
    const total = Number(rows[0]?.total ?? 0);
    const page = rows.filter((row) => row.id !== null);
    const hasMore = page.length > limit;
    if (hasMore) page.length = limit;
    const last = page.at(-1);
    const nextCursor = hasMore && last ? encodeCursor(sort, order, { key: last.sortKey, id: last.id }) : null;
    return { tasksJson: `[${page.map((row) => row.json).join(',')}]`, total, nextCursor };
  }

  /**
   * A create in the list the request means (`targetList`). With an `Idempotency-Key`, the first request
   * with the key creates; a repeat of the same request (same body, same list) gets the first task back
   * and creates nothing; another request under the key is a 422 (IETF httpapi idempotency-key draft).
   * Keys belong to the caller, across the three route families.
   */
  async create(scope: TaskScope, dto: CreateTaskDto, keyed?: KeyedRequest): Promise<TaskRow> {
    const listId = await this.targetList(scope, dto.listId);
    const task = newTask(dto);
    if (keyed === undefined) return this.admitted(await this.tasks.insert(scope.callerId, listId, task));
    const fingerprint = fingerprintOf({ listId, body: keyed.body });
    const result = await this.tasks.insertOnce(scope.callerId, listId, keyed.key, fingerprint, task);
    if ('reused' in result) {
      throw new IdempotencyKeyReusedException(
        'This Idempotency-Key was already used with a different request body or for another list; use a new key for a new request',
      );
    }
    return this.admitted(result);
  }

  async findVisible(scope: TaskScope, id: string): Promise<TaskRow> {
    const memberships = await this.access.memberships(scope.callerId);
    const task = await this.tasks.find(id, this.accessOf(scope, memberships, READ_ROLES));
    if (!task) throw taskNotFound();
    return task;
  }

  /**
   * What comes before a write's body: 404 when the caller cannot see the task, 403 when they may only
   * read it (`write`), then 400 when `If-Match` is not a list of entity tags, 412 when it names another
   * version.
   */
  async assertWritable(
    scope: TaskScope,
    id: string,
    ifMatchHeader: string | string[] | undefined,
    write = true,
  ): Promise<TaskRow> {
    const memberships = await this.access.memberships(scope.callerId);
    const task = await this.tasks.find(id, this.accessOf(scope, memberships, READ_ROLES));
    if (!task) throw taskNotFound();
    if (write) requireRole(memberships, task.listId, 'editor');
    if (!ifMatchAllows(ifMatchCondition(ifMatchHeader), task.version)) throw preconditionFailed();
    return task;
  }

  /** `PUT`: every writable field; the omitted ones return to their defaults, but the task stays in its list. */
  replace(scope: TaskScope, id: string, dto: ReplaceTaskDto, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(scope, id, ifMatch, newTask(dto), dto.listId);
  }

  /** `PATCH`: only the fields given; a `listId` moves the task. */
  update(scope: TaskScope, id: string, dto: UpdateTaskDto, ifMatch?: string | string[]): Promise<TaskRow> {
    const { listId, ...changes } = dto;
    return this.write(scope, id, ifMatch, changes, listId);
  }

  /** `/complete` with a value: sets it. */
  setCompleted(scope: TaskScope, id: string, completed: boolean, ifMatch?: string | string[]): Promise<TaskRow> {
    return this.write(scope, id, ifMatch, { completed }, undefined);
  }

  /** Flips `completed` atomically. */
  async toggle(scope: TaskScope, id: string, ifMatch?: string | string[]): Promise<TaskRow> {
    const memberships = await this.access.memberships(scope.callerId);
    const versions = await this.versionsOf(scope, id, ifMatch);
    const access = this.accessOf(scope, memberships, WRITE_ROLES);
    for (let attempt = 1; ; attempt++) {
      const task = await this.tasks.toggle(id, access, versions);
      if (task) return task;
      await this.explainMiss(scope, id, ifMatch, undefined, attempt);
    }
  }

  async remove(scope: TaskScope, id: string, ifMatch?: string | string[]): Promise<void> {
    const memberships = await this.access.memberships(scope.callerId);
    const versions = await this.versionsOf(scope, id, ifMatch);
    const access = this.accessOf(scope, memberships, WRITE_ROLES);
    for (let attempt = 1; ; attempt++) {
      if (await this.tasks.delete(id, access, versions)) return;
      await this.explainMiss(scope, id, ifMatch, undefined, attempt);
    }
  }

  /** Every matching task of the list (the default list unless one is named) takes `completed`; how many changed. */
  async completeMatching(
    scope: TaskScope,
    filters: TaskFilterQuery,
    completed: boolean,
    listId: string | undefined,
  ): Promise<number> {
    const access = await this.bulkAccess(scope, listId);
    return this.tasks.setCompletedMatching(access, filtersOf(scope, filters), completed);
  }

  /** Deletes every completed task of the list (the default list unless one is named); how many went. */
  async clearCompleted(scope: TaskScope, listId: string | undefined): Promise<number> {
    return this.tasks.deleteCompleted(await this.bulkAccess(scope, listId));
  }

  private async bulkAccess(scope: TaskScope, listId: string | undefined): Promise<TaskAccess> {
    return { callerId: scope.callerId, lists: [await this.targetList(scope, listId)], roles: WRITE_ROLES };
  }

  private async write(
    scope: TaskScope,
    id: string,
    ifMatch: string | string[] | undefined,
    changes: TaskChanges,
    target: string | undefined,
  ): Promise<TaskRow> {
    const memberships = await this.access.memberships(scope.callerId);
    const versions = await this.versionsOf(scope, id, ifMatch);
    const access = this.accessOf(scope, memberships, WRITE_ROLES);
    if (target !== undefined) requireRole(memberships, target, 'editor');
    for (let attempt = 1; ; attempt++) {
      const task = await this.writeOnce(id, access, changes, target, versions);
      if (task) return task;
      await this.explainMiss(scope, id, ifMatch, changes.assigneeId ?? undefined, attempt);
    }
  }

  /** A move when the task is in another list than `target`, else an update in place; nothing when it missed. */
  private async writeOnce(
    id: string,
    access: TaskAccess,
    changes: TaskChanges,
    target: string | undefined,
    versions: number[] | undefined,
  ): Promise<TaskRow | undefined> {
    if (target === undefined) return this.tasks.update(id, access, changes, versions);
    const moved = await this.tasks.move(id, access, target, changes, versions);
    if ('task' in moved) return moved.task;
    if (!('notOutside' in moved)) throw this.refused(moved);
    // Already in the target list, if the caller's scope reaches it.
    if (!access.lists.includes(target)) return undefined;
    return this.tasks.update(id, { ...access, lists: [target] }, changes, versions);
  }

  /**
   * The versions `If-Match` allows a write on; `undefined` when any will do (no header, or `*`).
   * A malformed header is a 400, but existence (404) and the role (403) come first.
   */
  private async versionsOf(
    scope: TaskScope,
    id: string,
    ifMatch: string | string[] | undefined,
  ): Promise<number[] | undefined> {
    const condition: IfMatch | null | undefined = parseIfMatch(ifMatch);
    if (condition === null) {
      await this.assertWritable(scope, id, undefined);
      return ifMatchCondition(ifMatch) as never;
    }
    return condition && !condition.any ? condition.versions : undefined;
  }

  /**
   * A conditional write touched nothing: the task is not visible (404), only readable (403), at another
   * version (412), or the assignee is no member of its list (400). Otherwise it moved between the
   * statements: the caller tries again, a few times, and then answers as for any lost race (503).
   */
  private async explainMiss(
    scope: TaskScope,
    id: string,
    ifMatch: string | string[] | undefined,
    assigneeId: string | undefined,
    attempt: number,
  ): Promise<void> {
    await this.assertWritable(scope, id, ifMatch);
    if (assigneeId !== undefined) throw unassignable();
    if (attempt >= WRITE_ATTEMPTS) throw new LostRace();
  }

  /**
   * The list a create or a bulk route means: the one of `/api/lists/{listId}/tasks` (a body or query
   * `listId` must name the same), else the one named, else the caller's default list. `editor` needed.
   */
  private async targetList(scope: TaskScope, named: string | undefined): Promise<string> {
    if (scope.listId !== undefined) {
      if (named !== undefined && named !== scope.listId) throw notThePathList();
      return scope.listId; // the route's guard checked the role
    }
    if (named === undefined) return this.defaultListOf(scope.callerId);
    requireRole(await this.access.memberships(scope.callerId), named, 'editor');
    return named;
  }

  /** The list a filter names: one the caller belongs to (404 otherwise), the path's under `/api/lists`. */
  private namedList(scope: TaskScope, memberships: Memberships, listId: string): string {
    if (scope.listId !== undefined && listId !== scope.listId) throw notThePathList();
    if (!memberships.has(listId)) throw listNotFound();
    return listId;
  }

  /** The caller's own default list (`ListAccess` remembers it: it never changes while the account lives). */
  private defaultListOf(userId: string): Promise<string> {
    // Every account has its default list until the account goes: none means it went since the token was checked.
    return this.access.defaultListOf(userId).catch((error: unknown) => {
      throw error instanceof NotFoundException ? new InvalidTokenException('This account no longer exists') : error;
    });
  }

  /** The lists a statement may reach: the path's list, or those of the caller's lists where their role allows. */
  private accessOf(
    scope: TaskScope,
    memberships: Memberships,
    roles: readonly ListRole[],
    lists?: string[],
  ): TaskAccess {
    const reach =
      lists ??
      (scope.listId !== undefined
        ? [scope.listId]
        : [...memberships].filter(([, role]) => roles.includes(role)).map(([listId]) => listId));
    return { callerId: scope.callerId, lists: reach, roles };
  }

  private admitted(result: { task: TaskRow } | Refusal): TaskRow {
    if ('task' in result) return result.task;
    throw this.refused(result);
  }

  private refused(refusal: Refusal): Error {
    if ('notAllowed' in refusal) return listNotFound();
    if ('unassignable' in refusal) return unassignable();
    return this.quotaReached(refusal.quota);
  }

  /** A 409 `limit-reached` that names the quota, its value, and the way out. */
  private quotaReached(quota: Quota): LimitReachedException {
    if (quota === 'tasks') {
      return new LimitReachedException(
        `This list holds ${this.limits.maxTasksPerList} tasks, the most allowed; delete some to create more, or use another list`,
      );
    }
    return new LimitReachedException(
      `This account holds ${this.limits.maxIdempotencyKeysPerUser} idempotency keys, the most allowed; ` +
        `a key expires ${IDEMPOTENCY_KEY_TTL_HOURS} hours after its first use (or create without an Idempotency-Key)`,
    );
  }
}

/** The caller's role in the list: 404 when they are not a member, 403 `insufficient-role` when below `required`. */
function requireRole(memberships: Memberships, listId: string, required: ListRole): void {
  const role = memberships.get(listId);
  if (role === undefined) throw listNotFound();
  if (!atLeast(role, required)) throw new InsufficientRoleException(required);
}

/** The filters as the statements read them: `assignee=me` is the caller. */
function filtersOf(scope: TaskScope, query: TaskFilterQuery): ListFilters {
  const { assignee, ...filters } = query;
  const resolved =
    assignee === undefined ? undefined : assignee === 'none' ? null : assignee === 'me' ? scope.callerId : assignee;
  return {
    status: filters.status,
    q: filters.q,
    priority: filters.priority,
    tag: filters.tag,
    dueBefore: filters.dueBefore,
    dueAfter: filters.dueAfter,
    assignee: resolved,
  };
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
    assigneeId: dto.assigneeId ?? null,
  };
}

/**
 * The task moved under every attempt: a lost race like a serialization failure, and answered as one
 * (503 with Retry-After, `problem-details.filter`), since a retry will most likely succeed.
 */
class LostRace extends Error {
  readonly code = '40001';

  constructor() {
    super('The task kept moving between lists under this write');
  }
}

function taskNotFound(): NotFoundException {
  return new NotFoundException('Task not found');
}

function listNotFound(): NotFoundException {
  return new NotFoundException('List not found');
}

function unassignable(): ValidationProblemException {
  return ValidationProblemException.of('assigneeId', "must be null or a member of the task's list");
}

function notThePathList(): ValidationProblemException {
  return ValidationProblemException.of('listId', 'must be the list of the path, or left out');
}

function preconditionFailed(): PreconditionFailedException {
  return new PreconditionFailedException('The task has changed: If-Match does not match its current ETag');
}
