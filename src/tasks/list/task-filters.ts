import type { TaskPriority } from '../task-priority.js';

export const TASK_STATUSES = ['all', 'pending', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The list filters (docs/API.md, "List query parameters"), as the list statement reads them. */
export interface ListFilters {
  status: TaskStatus;
  q?: string;
  priority?: TaskPriority;
  tag?: string;
  dueBefore?: string;
  dueAfter?: string;
  /** A user id: the tasks assigned to them; `null`: the unassigned ones. */
  assignee?: string | null;
}
