import { TaskPriority } from '../task-priority.js';

export const SORT_KEYS = ['createdAt', 'updatedAt', 'dueAt', 'priority', 'title'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = 'asc' | 'desc';

/** The SQL type a cursor's key value is checked against and cast to. */
export type KeyType = 'timestamptz' | 'smallint' | 'text';

export interface SortSpec {
  /** The ordering expression; each matches an index of migration TaskListIndexes exactly. */
  expression: (order: SortOrder) => string;
  keyType: KeyType;
  defaultOrder: SortOrder;
}

/**
 * docs/API.md, `sort` and `order`: newest first by default; `dueAt` and `title`
 * ascend by default; tasks without `dueAt` come last in either order, which
 * `COALESCE` to ±infinity achieves while keeping a plain `(key, id)` keyset.
 */
export const SORTS: Record<SortKey, SortSpec> = {
  createdAt: {
    expression: () => 'created_at',
    keyType: 'timestamptz',
    defaultOrder: 'desc',
  },
  updatedAt: {
    expression: () => 'updated_at',
    keyType: 'timestamptz',
    defaultOrder: 'desc',
  },
  dueAt: {
    expression: (order) => `COALESCE(due_at, '${order === 'asc' ? '' : '-'}infinity'::timestamptz)`,
    keyType: 'timestamptz',
    defaultOrder: 'asc',
  },
  priority: {
    expression: () => 'priority_rank',
    keyType: 'smallint',
    defaultOrder: 'desc',
  },
  title: {
    expression: () => 'lower(title COLLATE "C")',
    keyType: 'text',
    defaultOrder: 'asc',
  },
};

/** Migration TaskListIndexes' generated `priority_rank`. */
export const PRIORITY_RANK: Record<TaskPriority, number> = {
  [TaskPriority.Low]: 1,
  [TaskPriority.Medium]: 2,
  [TaskPriority.High]: 3,
};
