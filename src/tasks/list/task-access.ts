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
  const lists =
    access.lists.length === 1
      ? `${alias}.list_id = ${param(access.lists[0], '::uuid')}`
      : `${alias}.list_id = ANY(${param(access.lists, '::uuid[]')})`;
  return [
    lists,
    `EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = ${alias}.list_id AND m.user_id = ${param(access.callerId, '::uuid')}
       AND m.role = ANY(${param(access.roles, '::text[]')}))`,
  ];
}
