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

/** A list as the API returns it, without the caller's role (each reader's own). */
export interface ListRow extends Record<string, unknown> {
  id: string;
  version: number;
}

export interface MemberRow extends Record<string, unknown> {
  userId: string;
  /** The list's version: a member's change carries it. */
  listVersion: number;
}

export interface TaskRow extends Record<string, unknown> {
  id: string;
  version: number;
}

/**
 * The statements of the feed. The snapshot statements read the current state
 * of one list (the list, its members, its tasks) in the shape of the routes
 * that return them; each is keyed by `list_id`, so on Citus it runs on one shard.
 */
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

  async list(listId: string): Promise<ListRow | undefined> {
    const rows = await this.sql.query<ListRow>(
      `SELECT l.id, l.name, l.color, l.is_default AS "isDefault", l.owner_id AS "ownerId",
              (SELECT count(*)::int FROM list_members c WHERE c.list_id = l.id) AS "memberCount",
              l.version, l.created_at AS "createdAt", l.updated_at AS "updatedAt"
         FROM lists l WHERE l.id = $1`,
      [listId],
    );
    return rows[0];
  }

  members(listId: string, afterUserId: string, limit: number): Promise<MemberRow[]> {
    return this.sql.query<MemberRow>(
      `SELECT m.user_id AS "userId", u.email, u.name, m.role, m.joined_at AS "joinedAt", l.version AS "listVersion"
         FROM list_members m JOIN users u ON u.id = m.user_id JOIN lists l ON l.id = m.list_id
        WHERE m.list_id = $1 AND m.user_id > $2
        ORDER BY m.user_id
        LIMIT $3`,
      [listId, afterUserId, limit],
    );
  }

  tasks(listId: string, afterId: string, limit: number): Promise<TaskRow[]> {
    return this.sql.query<TaskRow>(
      `SELECT id, list_id AS "listId", user_id AS "userId", title, description, completed,
              completed_at AS "completedAt", priority, due_at AS "dueAt", tags, assignee_id AS "assigneeId",
              created_by AS "createdBy", updated_by AS "updatedBy", completed_by AS "completedBy",
              version, created_at AS "createdAt", updated_at AS "updatedAt"
         FROM tasks
        WHERE list_id = $1 AND id > $2
        ORDER BY id
        LIMIT $3`,
      [listId, afterId, limit],
    );
  }

  /** Deletes the changes recorded before `before`. */
  async purge(before: Date): Promise<void> {
    await this.sql.write(`DELETE FROM changes WHERE created_at < $1`, [before.toISOString()]);
  }
}
