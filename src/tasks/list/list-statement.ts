import { taskJsonText } from '../task-columns.js';
import { accessConditions, type TaskAccess } from './task-access.js';
import type { CursorPosition } from './list-cursor.js';
import { containsPattern } from './search-pattern.js';
import type { ListFilters, TaskStatus } from './task-filters.js';
import { PRIORITY_RANK, SORTS, type SortKey, type SortOrder } from './task-sort.js';

export interface ListPlan {
  access: TaskAccess;
  filters: ListFilters;
  sort: SortKey;
  order: SortOrder;
  /** Rows to fetch: one more than the page, to know whether another page follows. */
  fetch: number;
  after?: CursorPosition;
}

export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * One statement per page: the total and the page, even when the page is
 * empty. Keyset paging: rows after `(key, id)` of the previous page's last
 * row, so pages stay correct while tasks come and go, and a deep page costs
 * what the first does.
 */
export function buildListStatement(plan: ListPlan): Statement {
  const values: unknown[] = [];
  const param = (value: unknown, cast = '') => {
    values.push(value);
    return `$${values.length}${cast}`;
  };

  const filters = filterConditions(plan.filters, plan.access, param, 'page');
  const total = onlyStatusFilter(plan.filters)
    ? countedTotal(plan.filters.status, plan.access, param)
    : `(SELECT count(*) FROM tasks t WHERE ${(isShortTerm(plan.filters.q) ? filterConditions(plan.filters, plan.access, param) : filters).join(' AND ')})`;

  const spec = SORTS[plan.sort];
  const key = spec.expression(plan.order);
  const direction = plan.order === 'asc' ? 'ASC' : 'DESC';
  const pageConditions = [...filters];
  if (plan.after) {
    const op = plan.order === 'asc' ? '>' : '<';
    pageConditions.push(
      `(${key}, id) ${op} (${param(plan.after.key, `::${spec.keyType}`)}, ${param(plan.after.id, '::uuid')})`,
    );
  }

  const text = `SELECT page.*, counted.total
  FROM (SELECT ${total} AS total) counted
  LEFT JOIN LATERAL (
    SELECT ${taskJsonText('t')} AS json, t.id, ${key} AS "sortKey" FROM tasks t
     WHERE ${pageConditions.join(' AND ')}
     ORDER BY ${key} ${direction}, id ${direction}
     LIMIT ${limitOf(plan.fetch)}
  ) page ON true
 ORDER BY page."sortKey" ${direction}, page.id ${direction}`;
  return { text, values };
}

/**
 * Every condition list starts with the caller's access (`accessConditions`). Shared with the bulk writes.
 * `page`: the conditions of a walk in sort order that stops at the page's end (see `searchCondition`).
 */
export function filterConditions(
  filters: ListFilters,
  access: TaskAccess,
  param: (value: unknown, cast?: string) => string,
  scan: 'page' | 'all' = 'all',
): string[] {
  const conditions = accessConditions(access, param);
  if (filters.assignee === null) conditions.push('assignee_id IS NULL');
  if (typeof filters.assignee === 'string') conditions.push(`assignee_id = ${param(filters.assignee, '::uuid')}`);
  if (filters.status === 'pending') conditions.push('NOT completed');
  if (filters.status === 'completed') conditions.push('completed');
  // The rank, not the name: `tasks_user_priority_idx` then counts the matches without visiting rows.
  if (filters.priority) conditions.push(`priority_rank = ${param(PRIORITY_RANK[filters.priority])}`);
  if (filters.tag !== undefined) conditions.push(`tags @> ARRAY[${param(filters.tag, '::text')}]`);
  if (filters.q !== undefined) conditions.push(searchCondition(filters.q, param, scan));
  conditions.push(...dueRange(filters, param));
  return conditions;
}

/** Terms shorter than a trigram: pg_trgm extracts nothing from them to look up. */
const SHORT_TERM = 3;

/**
 * A case-insensitive substring match in title or description, whatever the
 * length of the term: `ILIKE`, which the trigram index
 * (`tasks_user_search_idx`) answers from 3 characters on. A shorter term has
 * no trigram to look up, and the index would read all of its entries, every
 * user's. Where every one of the owner's rows is read anyway (the count, the
 * bulk writes) it is therefore written in a form no index serves, `strpos` on
 * lower-cased text (the comparison `ILIKE` makes), found through the owner's
 * B-tree. The page keeps `ILIKE`: its column statistics tell a common term
 * (walk the sort index, stop after a page) from a rare one (read the owner's
 * rows once, sort the few matches), where `strpos` has no estimate and walks
 * the index to the end. Either way the work is bounded by the owner's rows.
 */
function isShortTerm(q: string | undefined): boolean {
  return q !== undefined && [...q].length < SHORT_TERM;
}

function searchCondition(q: string, param: (value: unknown, cast?: string) => string, scan: 'page' | 'all'): string {
  if (!isShortTerm(q) || scan === 'page') {
    const pattern = param(containsPattern(q));
    return `(title ILIKE ${pattern} OR description ILIKE ${pattern})`;
  }
  const term = `lower(${param(q, '::text')})`;
  return `(strpos(lower(title), ${term}) > 0 OR strpos(lower(description), ${term}) > 0)`;
}

function onlyStatusFilter(filters: ListFilters): boolean {
  return (
    filters.q === undefined &&
    filters.priority === undefined &&
    filters.tag === undefined &&
    filters.dueBefore === undefined &&
    filters.dueAfter === undefined &&
    filters.assignee === undefined
  );
}

/**
 * The per-list counters (migration SharedLists), summed over the lists in scope: exact, and free of a
 * count over their rows. The same access conditions as the rows', so a list the caller just left is
 * not counted.
 */
function countedTotal(
  status: TaskStatus,
  access: TaskAccess,
  param: (value: unknown, cast?: string) => string,
): string {
  const column = {
    all: 'tasks',
    completed: 'completed',
    pending: 'tasks - completed',
  }[status];
  const scope = accessConditions(access, param, 'c');
  return `(SELECT COALESCE(sum(${column}), 0)::int FROM list_counters c WHERE ${scope.join(' AND ')})`;
}

/**
 * `dueAfter <= due_at <= dueBefore`, written on the due-date index expressions
 * so the range is an index bound. A task without `dueAt` is ±infinity there,
 * which every finite bound excludes, as the contract asks.
 */
function dueRange(filters: ListFilters, param: (value: unknown) => string): string[] {
  if (filters.dueBefore === undefined) {
    return filters.dueAfter === undefined
      ? []
      : [`${SORTS.dueAt.expression('desc')} >= ${param(new Date(filters.dueAfter))}`];
  }
  const key = SORTS.dueAt.expression('asc');
  const range = filters.dueAfter === undefined ? [] : [`${key} >= ${param(new Date(filters.dueAfter))}`];
  range.push(`${key} <= ${param(new Date(filters.dueBefore))}`);
  return range;
}

/**
 * The page size goes into the text, not a parameter: a prepared statement's
 * generic plan would otherwise guess the limit, and could trade the ordered
 * index scan for a sort of every match. It is a validated integer.
 */
function limitOf(fetch: number): number {
  if (!Number.isInteger(fetch) || fetch < 1 || fetch > 1000) throw new RangeError(`Bad page size: ${fetch}`);
  return fetch;
}
