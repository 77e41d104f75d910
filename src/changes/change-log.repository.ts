import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';
import type { ChangeInput } from './change.js';
import { NEXT_POSITION } from './change-statement.js';

/**
 * The statements that write the change log; they run in the writer's
 * transaction (`session`), never on their own.
 */
@Injectable()
export class ChangeLogRepository {
  /**
   * The list's next change number and time, under the list's counter row lock:
   * a second writer of the list waits here until the first commits or rolls
   * back, so numbers are taken in commit order (`NEXT_POSITION`).
   */
  async nextPosition(session: SqlSession, listId: string): Promise<{ seq: number; at: string } | undefined> {
    const rows = await session.query<{ seq: string; at: string }>(
      `UPDATE list_counters SET ${NEXT_POSITION} WHERE list_id = $1
        RETURNING change_seq AS seq, change_at AS at`,
      [listId],
    );
    return rows.length === 0 ? undefined : { seq: Number(rows[0].seq), at: rows[0].at };
  }

  /** `count` numbers at once for one list (a bulk write): the last one taken, and the time. */
  async nextPositions(
    session: SqlSession,
    listId: string,
    count: number,
  ): Promise<{ last: number; at: string } | undefined> {
    const rows = await session.query<{ seq: string; at: string }>(
      `UPDATE list_counters
          SET change_seq = change_seq + $2, change_at = GREATEST(now(), change_at)
        WHERE list_id = $1
        RETURNING change_seq AS seq, change_at AS at`,
      [listId, count],
    );
    return rows.length === 0 ? undefined : { last: Number(rows[0].seq), at: rows[0].at };
  }

  /** The changes of one list, numbered from `first`, in one statement. */
  async insertAll(session: SqlSession, listId: string, changes: ChangeInput[], first: number, at: string) {
    await session.query(
      `INSERT INTO changes (list_id, seq, entity, op, entity_id, version, type, data, reason, actor_id, created_at)
       SELECT $1, $2::bigint + c.n - 1, c.entity, c.op, c.entity_id, c.version, c.type, c.data, c.reason, c.actor_id, $3
         FROM unnest($4::text[], $5::text[], $6::uuid[], $7::int[], $8::text[], $9::jsonb[], $10::text[], $11::uuid[])
              WITH ORDINALITY AS c(entity, op, entity_id, version, type, data, reason, actor_id, n)`,
      [
        listId,
        first,
        at,
        changes.map((change) => change.entity),
        changes.map((change) => change.op),
        changes.map((change) => change.id),
        changes.map((change) => change.version),
        changes.map((change) => change.type),
        changes.map((change) => (change.op === 'upsert' ? JSON.stringify(change.data ?? {}) : null)),
        changes.map((change) => (change.op === 'delete' ? (change.reason ?? 'deleted') : null)),
        changes.map((change) => change.actorId),
      ],
    );
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
