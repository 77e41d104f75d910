import type { Task } from './task.entity.js';

/** A column's value as JSON text, written by PostgreSQL (`taskJsonText`). */
const JSON_OF = {
  uuid: (value: string) => `'"' || ${value} || '"'`,
  text: (value: string) => `to_json(${value})::text`,
  boolean: (value: string) => `CASE WHEN ${value} THEN 'true' ELSE 'false' END`,
  integer: (value: string) => `${value}::text`,
  'text[]': (value: string) => `array_to_json(${value})::text`,
  time: (value: string) => `'"' || ${isoText(value)} || '"'`,
};

/** How a column is written as JSON. */
type Kind = keyof typeof JSON_OF;

/** A task's columns, the names the API gives them, and their kinds. */
const FIELDS: [column: string, field: string, kind: Kind][] = [
  ['id', 'id', 'uuid'],
  ['user_id', 'userId', 'uuid'],
  ['list_id', 'listId', 'uuid'],
  ['assignee_id', 'assigneeId', 'uuid'],
  ['created_by', 'createdBy', 'uuid'],
  ['updated_by', 'updatedBy', 'uuid'],
  ['completed_by', 'completedBy', 'uuid'],
  ['title', 'title', 'text'],
  ['description', 'description', 'text'],
  ['completed', 'completed', 'boolean'],
  ['completed_at', 'completedAt', 'time'],
  ['priority', 'priority', 'text'],
  ['due_at', 'dueAt', 'time'],
  ['tags', 'tags', 'text[]'],
  ['version', 'version', 'integer'],
  ['created_at', 'createdAt', 'time'],
  ['updated_at', 'updatedAt', 'time'],
];

/** Rows come back already shaped as `TaskRow`: no hydration step on the hot paths. */
export const TASK_COLUMNS = FIELDS.map(([column, field]) =>
  column === field ? column : `${column} AS "${field}"`,
).join(', ');

/**
 * The task of row `alias` as one compact JSON text, written by PostgreSQL: the fields of
 * `TASK_COLUMNS` in their order, strings escaped as `to_json` does, timestamps as `isoTimestamp`
 * writes them. A page passes it through unparsed: byte for byte what `JSON.stringify` writes for the
 * same task, without the row's parsing, its objects and their serialization in the service. Spelled
 * out rather than `row_to_json`, which looks up each field's type for every row (half again the time).
 * `named`: `column` for a row of `tasks`, `field` for a row of `TASK_COLUMNS` (a write's CTE, whose
 * change carries the task as `jsonb`: see `change-statement`).
 */
export function taskJsonText(alias: string, named: 'column' | 'field' = 'column'): string {
  const members = FIELDS.map(([column, field, kind], index) => {
    const name = `${index === 0 ? '{' : ','}"${field}":`;
    const value = named === 'column' ? `${alias}.${column}` : `${alias}."${field}"`;
    return `'${name}' || ${jsonOf(value, kind)}`;
  });
  return `${members.join(' || ')} || '}'`;
}

/** Null as `null`, whatever the column: the schema lets some columns be null that the API always sets. */
function jsonOf(value: string, kind: Kind): string {
  return `COALESCE(${JSON_OF[kind](value)}, 'null')`;
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
