import type { ListRole } from '../../lists/list-role.js';

/** The roles that read a list's tasks, and those that change them (docs/API.md, "Lists"). */
export const READ_ROLES: readonly ListRole[] = ['owner', 'admin', 'editor', 'viewer'];
export const WRITE_ROLES: readonly ListRole[] = ['owner', 'admin', 'editor'];

/**
 * Which tasks a statement may reach: those of `lists` (the caller's lists with a sufficient role, as
 * `ListAccess.memberships` has them), where the database itself confirms that `callerId` is a member
 * with one of `roles`.
 */
export interface TaskAccess {
  callerId: string;
  lists: readonly string[];
  roles: readonly ListRole[];
}

/**
 * Isolation twice: the route checked membership (through `ListAccess`), and every task statement
 * filters on it again. `list_id = ANY(…)` lets Citus prune shards (one list: one shard, an equality);
 * the `EXISTS` on `list_members` is the database's own truth, so a stale membership cache can never
 * widen access. `alias` names the table whose `list_id` is checked (`tasks t`, `list_counters c`).
 */
export function accessConditions(
  access: TaskAccess,
  param: (value: unknown, cast?: string) => string,
  alias = 't',
): string[] {
  if (access.lists.length === 1) {
    // One list: the membership check names it too, so PostgreSQL runs it once (a one-time filter), not per row.
    const list = param(access.lists[0], '::uuid');
    return [`${alias}.list_id = ${list}`, memberOf(list, access, param)];
  }
  return [`${alias}.list_id = ANY(${param(access.lists, '::uuid[]')})`, memberOf(`${alias}.list_id`, access, param)];
}

/**
 * The roles are the code's own constants (`READ_ROLES`, `WRITE_ROLES`), written into the statement
 * rather than sent as an array parameter: one fewer value to encode on every task statement, and
 * still two prepared statements in all.
 */
function memberOf(list: string, access: TaskAccess, param: (value: unknown, cast?: string) => string): string {
  const roles = access.roles.map((role) => `'${role}'`).join(', ');
  return `EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = ${list} AND m.user_id = ${param(access.callerId, '::uuid')}
       AND m.role IN (${roles}))`;
}
