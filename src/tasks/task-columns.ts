import type { Task } from './task.entity.js';

/** A task's columns and the names the API gives them; `true`: a timestamp. */
const FIELDS: [column: string, field: string, timestamp?: true][] = [
  ['id', 'id'],
  ['user_id', 'userId'],
  ['list_id', 'listId'],
  ['assignee_id', 'assigneeId'],
  ['created_by', 'createdBy'],
  ['updated_by', 'updatedBy'],
  ['completed_by', 'completedBy'],
  ['title', 'title'],
  ['description', 'description'],
  ['completed', 'completed'],
  ['completed_at', 'completedAt', true],
  ['priority', 'priority'],
  ['due_at', 'dueAt', true],
  ['tags', 'tags'],
  ['version', 'version'],
  ['created_at', 'createdAt', true],
  ['updated_at', 'updatedAt', true],
];

/** Rows come back already shaped as `TaskRow`: no hydration step on the hot paths. */
export const TASK_COLUMNS = FIELDS.map(([column, field]) =>
  column === field ? column : `${column} AS "${field}"`,
).join(', ');

/**
 * The task of `row` (a CTE's row of `TASK_COLUMNS`) as JSON built by PostgreSQL, equal to what its
 * routes answer: a change recorded in the write's own statement carries it (`change-statement`).
 */
export function taskJson(row: string): string {
  const pairs = FIELDS.map(([, field, timestamp]) => {
    const value = `${row}."${field}"`;
    return `'${field}', ${timestamp ? isoText(value) : value}`;
  });
  return `jsonb_build_object(${pairs.join(', ')})`;
}

/**
 * The task of row `alias` of `tasks` as one compact JSON text, built by PostgreSQL: the fields of
 * `TASK_COLUMNS` in their order, timestamps as `isoTimestamp` writes them (type `task_json`,
 * migration TaskJson). A page passes it through unparsed: byte for byte what `JSON.stringify` writes
 * for the same task, without the row's parsing, its objects and their serialization in the service.
 */
export function taskJsonText(alias: string): string {
  const values = FIELDS.map(([column, , timestamp]) =>
    timestamp ? isoText(`${alias}.${column}`) : `${alias}.${column}`,
  );
  return `row_to_json(ROW(${values.join(', ')})::task_json)::text`;
}

/**
 * A timestamp as `isoTimestamp` writes it (`2026-11-22T03:28:37.290Z`, milliseconds truncated); past
 * year 9999 (a due date with a negative offset) as `Date.toISOString` does (`+010000-…`).
 */
function isoText(value: string): string {
  const time = `-MM-DD"T"HH24:MI:SS.MS"Z"`;
  return `to_char(${value} AT TIME ZONE 'UTC', CASE WHEN ${value} < '10000-01-01Z' THEN 'YYYY${time}' ELSE '"+0"YYYY${time}' END)`;
}

/** A task as the task statements return it: timestamps already in the API's ISO 8601 form (`TASK_ROW_TYPES`). */
export type TaskRow = Omit<Task, 'completedAt' | 'dueAt' | 'createdAt' | 'updatedAt'> & {
  completedAt: string | null;
  dueAt: string | null;
  createdAt: string;
  updatedAt: string;
};
