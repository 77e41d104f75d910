import { Injectable } from '@nestjs/common';
import { SqlRunner } from '../database/sql-runner.js';
import type { ChangeEntity, ChangeOp, DeleteReason } from './change.js';

/** A recorded change, as the feed reads it. */
export interface ChangeRow {
  listId: string;
  seq: string;
  entity: ChangeEntity;
  op: ChangeOp;
  id: string;
  version: number;
  data: Record<string, unknown> | null;
  reason: DeleteReason | null;
}

/** The statements of the feed on the change log (the snapshots are read by their owners: `change-snapshots.ts`). */
@Injectable()
export class ChangesRepository {
  constructor(private readonly sql: SqlRunner) {}

  /** Each list's last change number. */
  async positions(listIds: string[]): Promise<Map<string, number>> {
    if (listIds.length === 0) return new Map();
    const rows = await this.sql.query<{ listId: string; seq: string }>(
      `SELECT list_id AS "listId", change_seq AS seq FROM list_counters WHERE list_id = ANY($1::uuid[])`,
      [listIds],
    );
    return new Map(rows.map((row) => [row.listId, Number(row.seq)]));
  }

  /**
   * Up to `limit` changes after each list's position, oldest first. Within one
   * list, time follows the number (`change_at` never goes back), so any page of
   * this order holds, for each list, the next changes after its position with
   * no gap: the new position is the last number the page holds.
   */
  page(userId: string, listIds: string[], after: number[], limit: number): Promise<ChangeRow[]> {
    return this.sql.query<ChangeRow>(
      `SELECT list_id AS "listId", seq, entity, op, entity_id AS id, version, data, reason
         FROM changes c
        WHERE c.list_id = ANY($1::uuid[])
          AND c.seq > ($2::bigint[])[array_position($1::uuid[], c.list_id)]
          AND EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = c.list_id AND m.user_id = $4)
        ORDER BY c.created_at, c.list_id, c.seq
        LIMIT $3`,
      [listIds, after, limit, userId],
    );
  }

  /** One list's changes after `afterSeq`, by number: a run with no gap (numbers follow commit order). */
  tail(listId: string, afterSeq: number, limit: number): Promise<ChangeRow[]> {
    return this.sql.query<ChangeRow>(
      `SELECT list_id AS "listId", seq, entity, op, entity_id AS id, version, data, reason
         FROM changes
        WHERE list_id = $1 AND seq > $2
        ORDER BY seq
        LIMIT $3`,
      [listId, afterSeq, limit],
    );
  }

  /** Which of `userIds` are members of the list now (the database's word, for many readers at once). */
  async membersAmong(listId: string, userIds: string[]): Promise<Set<string>> {
    const rows = await this.sql.query<{ userId: string }>(
      `SELECT u AS "userId" FROM unnest($2::uuid[]) AS u
        WHERE EXISTS (SELECT 1 FROM list_members m WHERE m.list_id = $1 AND m.user_id = u)`,
      [listId, userIds],
    );
    return new Set(rows.map((row) => row.userId));
  }

  /**
   * Deletes the changes recorded before `before`, but in each list of `held` those numbered after
   * its hold. One statement for the lists not held, then one per held list (a router plan on Citus;
   * held lists are few: those whose webhooks fell behind).
   */
  async purge(before: Date, held: Map<string, string>): Promise<void> {
    const at = before.toISOString();
    await this.sql.write(`DELETE FROM changes WHERE created_at < $1 AND list_id <> ALL($2::uuid[])`, [
      at,
      [...held.keys()],
    ]);
    for (const [listId, afterSeq] of held) {
      await this.sql.write(`DELETE FROM changes WHERE list_id = $1 AND created_at < $2 AND seq <= $3`, [
        listId,
        at,
        afterSeq,
      ]);
    }
  }
}
