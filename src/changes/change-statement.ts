import type { ChangeEntity, ChangeOp } from './change.js';

/*
 * A write that is one statement records its change in that statement, with no transaction of its own
 * (one round trip instead of five): `positionCte` and `loggedCte` go beside the write's own CTE. The
 * statement selects `position.seq`, and its caller hands it to `ChangeLog.announce` once the
 * statement has returned (and so committed).
 */

/**
 * The step of a list's counter row that numbers a change: the next number, and a time that never
 * goes back (`GREATEST`), so within a list the time follows the number.
 */
export const NEXT_POSITION = 'change_seq = change_seq + 1, change_at = GREATEST(now(), change_at)';

/**
 * CTE `position`: the next number of the list whose counter row (`c`) `where` picks, taken under the
 * row's lock as `ChangeLog.record` takes it, so a list's writers are numbered in commit order. `from`
 * joins the write's CTE when the list is known only from the row written.
 */
export function positionCte(where: string, from = ''): string {
  return `position AS (
      UPDATE list_counters c SET ${NEXT_POSITION} ${from} WHERE ${where}
      RETURNING c.list_id, c.change_seq AS seq, c.change_at AS at)`;
}

/**
 * CTE `logged`: the change of each row of `source` (one per list, with `list_id`, `entity_id`,
 * `version`, `type`, `data`, `reason`), numbered by `position`.
 */
export function loggedCte(options: { source: string; entity: ChangeEntity; op: ChangeOp; actor: string }): string {
  const { source, entity, op, actor } = options;
  return `logged AS (
      INSERT INTO changes (list_id, seq, entity, op, entity_id, version, type, data, reason, actor_id, created_at)
      SELECT s.list_id, p.seq, '${entity}', '${op}', s.entity_id, s.version, s.type, s.data, s.reason, ${actor}, p.at
        FROM ${source} s JOIN position p ON p.list_id = s.list_id)`;
}
