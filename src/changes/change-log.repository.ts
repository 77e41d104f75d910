import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';
import type { ChangeInput } from './change.js';

/**
 * The statements that write the change log; they run in the writer's
 * transaction (`session`), never on their own.
 */
@Injectable()
export class ChangeLogRepository {
  /**
   * The list's next change number and time, under the list's counter row lock:
   * a second writer of the list waits here until the first commits or rolls
   * back, so numbers are taken in commit order. The time never goes back
   * (`GREATEST`), so within a list it follows the number.
   */
  async nextPosition(session: SqlSession, listId: string): Promise<{ seq: number; at: string } | undefined> {
    const rows = await session.query<{ seq: string; at: string }>(
      `UPDATE list_counters
          SET change_seq = change_seq + 1, change_at = GREATEST(now(), change_at)
        WHERE list_id = $1
        RETURNING change_seq AS seq, change_at AS at`,
      [listId],
    );
    return rows.length === 0 ? undefined : { seq: Number(rows[0].seq), at: rows[0].at };
  }

  async insert(session: SqlSession, change: ChangeInput, seq: number, at: string): Promise<string> {
    const rows = await session.query<{ eventId: string }>(
      `INSERT INTO changes (list_id, seq, entity, op, entity_id, version, type, data, reason, actor_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING event_id AS "eventId"`,
      [
        change.listId,
        seq,
        change.entity,
        change.op,
        change.id,
        change.version,
        change.type,
        change.op === 'upsert' ? JSON.stringify(change.data ?? {}) : null,
        change.op === 'delete' ? (change.reason ?? 'deleted') : null,
        change.actorId,
        at,
      ],
    );
    return rows[0].eventId;
  }
}
