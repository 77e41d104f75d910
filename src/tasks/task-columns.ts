import type { Task } from './task.entity.js';

/** Rows come back already shaped as `TaskRow`: no hydration step on the hot paths. */
export const TASK_COLUMNS = `id, user_id AS "userId", list_id AS "listId", assignee_id AS "assigneeId",
  created_by AS "createdBy", updated_by AS "updatedBy", completed_by AS "completedBy", title, description, completed,
  completed_at AS "completedAt", priority, due_at AS "dueAt", tags, version, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/** A task as the task statements return it: timestamps already in the API's ISO 8601 form (`TASK_ROW_TYPES`). */
export type TaskRow = Omit<Task, 'completedAt' | 'dueAt' | 'createdAt' | 'updatedAt'> & {
  completedAt: string | null;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
};
