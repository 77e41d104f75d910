import { client } from './api/client.gen.js';
import type {
  CreateTaskDto,
  ProblemDetailsDto,
  TaskListEnvelopeDto,
  TaskPriority,
  TaskResponseDto,
  TaskSort,
  TaskStatusFilter,
  UpdateTaskDto,
} from './api/types.gen.js';

/*
 * The shared-lists routes of API v1.2 (docs/API.md "Lists"). They go through
 * the generated client (same base URL, bearer token and problem bodies) with
 * types written here until `openapi.json` describes them; then the generated
 * functions replace these one for one.
 */

export type ListRole = 'owner' | 'admin' | 'editor' | 'viewer';
export type InvitationRole = Exclude<ListRole, 'owner'>;

export interface TaskList {
  id: string;
  name: string;
  color: string | null;
  isDefault: boolean;
  ownerId: string;
  /** The caller's role. */
  role: ListRole;
  memberCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  userId: string;
  email: string | null;
  name: string | null;
  role: ListRole;
  joinedAt: string;
}

export interface CreatedInvitation {
  id: string;
  role: InvitationRole;
  expiresAt: string;
  maxUses: number;
  uses: number;
  token: string;
}

/** A task as v1.2 returns it: the list it is in and who did what. */
export type ListTask = TaskResponseDto & {
  listId: string;
  assigneeId: string | null;
  createdBy: string;
  updatedBy: string | null;
  completedBy: string | null;
};

export type TaskBody = CreateTaskDto & UpdateTaskDto & { assigneeId?: string | null };

interface Page<T> {
  data: T[];
  meta: { total: number; limit: number; nextCursor: string | null };
}

const RANK: Record<ListRole, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

/** Whether `role` is `required` or higher (the API's own order). */
export const atLeast = (role: ListRole, required: ListRole) => RANK[role] >= RANK[required];

/** The strong ETag the API derives from a version, for `If-Match`. */
export const etagOf = (resource: { version: number }) => `"${resource.version}"`;

const security = [{ scheme: 'bearer', type: 'http' }] as const;
type Envelope<T> = { 200: { data: T } };
type Created<T> = { 201: { data: T } };
type Empty = { 204: void };

// ---- lists ---------------------------------------------------------------------------------------
export const listLists = (cursor?: string) =>
  client.get<{ 200: Page<TaskList> }, ProblemDetailsDto>({
    security,
    url: '/api/lists',
    query: { limit: 100, cursor },
  });

export const createList = (name: string) =>
  client.post<Created<TaskList>, ProblemDetailsDto>({
    security,
    url: '/api/lists',
    body: { name },
    headers: { 'Content-Type': 'application/json' },
  });

export const getList = (listId: string) =>
  client.get<Envelope<TaskList>, ProblemDetailsDto>({ security, url: '/api/lists/{listId}', path: { listId } });

export const renameList = (list: TaskList, name: string) =>
  client.patch<Envelope<TaskList>, ProblemDetailsDto>({
    security,
    url: '/api/lists/{listId}',
    path: { listId: list.id },
    body: { name },
    headers: { 'Content-Type': 'application/json', 'If-Match': etagOf(list) },
  });

export const deleteList = (list: TaskList) =>
  client.delete<Empty, ProblemDetailsDto>({
    security,
    url: '/api/lists/{listId}',
    path: { listId: list.id },
    headers: { 'If-Match': etagOf(list) },
  });

// ---- members and invitations -----------------------------------------------------------------------
export const listMembers = (listId: string) =>
  client.get<{ 200: { data: Member[] } }, ProblemDetailsDto>({
    security,
    url: '/api/lists/{listId}/members',
    path: { listId },
  });

export const changeRole = (listId: string, userId: string, role: ListRole) =>
  client.patch<Envelope<Member>, ProblemDetailsDto>({
    security,
    url: '/api/lists/{listId}/members/{userId}',
    path: { listId, userId },
    body: { role },
    headers: { 'Content-Type': 'application/json' },
  });

/** Removes a member, or (the caller's own id) leaves the list. */
export const removeMember = (listId: string, userId: string) =>
  client.delete<Empty, ProblemDetailsDto>({
    security,
    url: '/api/lists/{listId}/members/{userId}',
    path: { listId, userId },
  });

export const createInvitation = (listId: string, role: InvitationRole) =>
  client.post<Created<CreatedInvitation>, ProblemDetailsDto>({
    security,
    url: '/api/lists/{listId}/invitations',
    path: { listId },
    body: { role },
    headers: { 'Content-Type': 'application/json' },
  });

export const acceptInvitation = (token: string) =>
  client.post<Envelope<TaskList>, ProblemDetailsDto>({
    security,
    url: '/api/invitations/accept',
    body: { token },
    headers: { 'Content-Type': 'application/json' },
  });

// ---- the tasks of one list (`/api/lists/{listId}/tasks`, every task route scoped to the list) ----------
export interface TaskQuery {
  status?: TaskStatusFilter;
  q?: string;
  tag?: string;
  priority?: TaskPriority;
  sort?: TaskSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

const tasksUrl = '/api/lists/{listId}/tasks';
const taskUrl = '/api/lists/{listId}/tasks/{id}';

export const listTasks = (listId: string, query: TaskQuery) =>
  client.get<{ 200: TaskListEnvelopeDto & { data: ListTask[] } }, ProblemDetailsDto>({
    security,
    url: tasksUrl,
    path: { listId },
    query: { ...query },
  });

export const createTask = (listId: string, body: TaskBody, idempotencyKey: string) =>
  client.post<Created<ListTask>, ProblemDetailsDto>({
    security,
    url: tasksUrl,
    path: { listId },
    body,
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': idempotencyKey },
  });

export const getTask = (task: ListTask) =>
  client.get<Envelope<ListTask>, ProblemDetailsDto>({
    security,
    url: taskUrl,
    path: { listId: task.listId, id: task.id },
  });

export const updateTask = (task: ListTask, body: TaskBody) =>
  client.patch<Envelope<ListTask>, ProblemDetailsDto>({
    security,
    url: taskUrl,
    path: { listId: task.listId, id: task.id },
    body,
    headers: { 'Content-Type': 'application/json', 'If-Match': etagOf(task) },
  });

export const completeTask = (task: ListTask, completed: boolean) =>
  client.patch<Envelope<ListTask>, ProblemDetailsDto>({
    security,
    url: `${taskUrl}/complete`,
    path: { listId: task.listId, id: task.id },
    body: { completed },
    headers: { 'Content-Type': 'application/json' },
  });

export const deleteTask = (task: ListTask) =>
  client.delete<Empty, ProblemDetailsDto>({ security, url: taskUrl, path: { listId: task.listId, id: task.id } });

export const completeAll = (listId: string, query: Pick<TaskQuery, 'q' | 'tag' | 'priority'>, completed: boolean) =>
  client.post<Envelope<{ changed: number }>, ProblemDetailsDto>({
    security,
    url: `${tasksUrl}/complete-all`,
    path: { listId },
    query: { ...query },
    body: { completed },
    headers: { 'Content-Type': 'application/json' },
  });

export const clearCompleted = (listId: string) =>
  client.delete<Envelope<{ deleted: number }>, ProblemDetailsDto>({
    security,
    url: `${tasksUrl}/completed`,
    path: { listId },
  });

/** How a member is called on screen: their name, else their email. */
export const memberName = (member: Pick<Member, 'name' | 'email'>) => member.name ?? member.email ?? 'A member';

/** "a viewer", "an editor". */
export const withArticle = (role: string) => `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
