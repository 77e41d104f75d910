import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type SqlSession, SqlRunner } from '../database/sql-runner.js';

/** A committed change, as the dispatcher turns it into deliveries. */
export interface ChangeRow {
  seq: string;
  eventId: string;
  entity: string;
  op: string;
  entityId: string;
  version: number;
  type: string;
  data: Record<string, unknown> | null;
  createdAt: string;
}

/** An endpoint as the fan-out sees it. */
export interface EndpointRow {
  id: string;
  events: string[];
  fromSeq: string;
}

export interface NewDelivery {
  webhookId: string;
  eventId: string;
  seq: string;
  type: string;
  payload: string;
}

/** A delivery claimed for one attempt, with what the attempt needs. */
export interface ClaimedDelivery {
  listId: string;
  id: string;
  webhookId: string;
  eventId: string;
  payload: string;
  attempts: number;
  lease: string;
  manual: boolean;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: string | null;
  /** The endpoint's list is gone: it goes with its last delivery. */
  deleting: boolean;
}

/** How an attempt ends, for `settle`. */
export interface Settlement {
  status: 'pending' | 'succeeded' | 'failed' | 'refused';
  /** With `pending`: the wait before the next attempt. */
  retryInMs?: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  /** Turn the endpoint off, and why. */
  disable?: 'gone' | 'failing';
}

/**
 * The dispatcher's statements. Each transaction but the two look-ups works in
 * one list (`list_id = $1` everywhere: one shard on Citus), and everything
 * runs in short transactions without session state (PgBouncer in transaction
 * mode): claims lock with `FOR UPDATE SKIP LOCKED` and lease by time.
 */
@Injectable()
export class DeliveryQueueRepository {
  constructor(private readonly sql: SqlRunner) {}

  /** Lists whose change log has moved past their cursor. */
  async listsWithNewChanges(limit: number): Promise<string[]> {
    const rows = await this.sql.query<{ listId: string }>(
      `SELECT w.list_id AS "listId" FROM webhook_cursors w
        WHERE EXISTS (SELECT 1 FROM changes c WHERE c.list_id = w.list_id AND c.seq > w.seq)
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.listId);
  }

  /**
   * Lists with an enabled endpoint whose cursor is behind a change recorded before `before`, and
   * their cursor: the changes after it are not delivered yet. Spans every shard, like the look-up
   * above, once per purge.
   */
  undispatchedBefore(before: Date): Promise<{ listId: string; afterSeq: string }[]> {
    return this.sql.query<{ listId: string; afterSeq: string }>(
      `SELECT w.list_id AS "listId", w.seq AS "afterSeq" FROM webhook_cursors w
        WHERE EXISTS (SELECT 1 FROM webhooks e WHERE e.list_id = w.list_id AND e.enabled AND NOT e.deleting)
          AND EXISTS (SELECT 1 FROM changes c WHERE c.list_id = w.list_id AND c.seq > w.seq AND c.created_at < $1)`,
      [before.toISOString()],
    );
  }

  /**
   * Turns the list's changes after its cursor, in number order, into the
   * deliveries `fanOut` makes of them, and moves the cursor past them: one
   * transaction holding the cursor's row lock (another instance skips the list
   * meanwhile), of two statements. Resolves to the number of changes read: 0
   * when there were none, or another instance holds the list, or it has no cursor.
   */
  followList(
    listId: string,
    limit: number,
    fanOut: (changes: ChangeRow[], endpoints: EndpointRow[]) => NewDelivery[],
  ): Promise<number> {
    return this.sql.transaction(async (tx) => {
      // The cursor's lock, the changes after it and the endpoints, in one round trip. Numbers are taken
      // under the list's counter lock, so what this snapshot shows after the cursor has no holes: a change
      // still uncommitted holds the numbers after it back too. Should another instance move the cursor
      // before the lock is granted, the join is checked again against the cursor it wrote.
      const changes = await tx.query<ChangeRow & { endpoints: EndpointRow[] | null }>(
        `SELECT c.seq, c.event_id AS "eventId", c.entity, c.op, c.entity_id AS "entityId", c.version, c.type, c.data,
                c.created_at AS "createdAt",
                (SELECT json_agg(json_build_object('id', e.id, 'events', e.events, 'fromSeq', e.from_seq::text))
                   FROM webhooks e WHERE e.list_id = $1 AND e.enabled AND NOT e.deleting) AS endpoints
           FROM webhook_cursors w JOIN changes c ON c.list_id = w.list_id AND c.seq > w.seq
          WHERE w.list_id = $1 AND c.list_id = $1
          ORDER BY c.seq LIMIT $2
            FOR UPDATE OF w SKIP LOCKED`,
        [listId, limit],
      );
      if (changes.length === 0) return 0;
      const deliveries = fanOut(changes, changes[0].endpoints ?? []);
      await tx.query(
        `WITH delivered AS (
           INSERT INTO webhook_deliveries (list_id, webhook_id, event_id, seq, type, payload, next_attempt_at)
           SELECT $1, d.webhook_id, d.event_id, d.seq, d.type, d.payload, now()
             FROM unnest($3::uuid[], $4::uuid[], $5::bigint[], $6::text[], $7::text[])
                  AS d (webhook_id, event_id, seq, type, payload)
           ON CONFLICT (list_id, webhook_id, event_id) DO NOTHING
         )
         UPDATE webhook_cursors SET seq = $2 WHERE list_id = $1`,
        [
          listId,
          changes.at(-1)!.seq,
          deliveries.map((d) => d.webhookId),
          deliveries.map((d) => d.eventId),
          deliveries.map((d) => d.seq),
          deliveries.map((d) => d.type),
          deliveries.map((d) => d.payload),
        ],
      );
      // Nothing comes after a list's deletion: its endpoints go once it is delivered.
      if (changes.some((change) => change.type === 'list.deleted')) await this.retireList(tx, listId);
      return changes.length;
    });
  }

  /**
   * The list is gone: its endpoints are kept only until their `list.deleted`
   * deliveries are done, and it has no more changes to follow.
   */
  private async retireList(tx: SqlSession, listId: string): Promise<void> {
    await tx.query(`UPDATE webhooks SET deleting = true WHERE list_id = $1`, [listId]);
    await tx.query(
      `DELETE FROM webhooks w WHERE w.list_id = $1
          AND (NOT w.enabled OR NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                           WHERE d.list_id = w.list_id AND d.webhook_id = w.id AND d.status = 'pending'))`,
      [listId],
    );
    await tx.query(`DELETE FROM webhook_cursors WHERE list_id = $1`, [listId]);
  }

  /** Lists with a delivery due now to an enabled endpoint, the longest-waiting first. */
  async listsWithDueDeliveries(limit: number): Promise<string[]> {
    const rows = await this.sql.query<{ listId: string }>(
      `SELECT d.list_id AS "listId" FROM webhook_deliveries d
         JOIN webhooks w ON w.list_id = d.list_id AND w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.enabled
        GROUP BY d.list_id
        ORDER BY min(d.next_attempt_at)
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.listId);
  }

  /**
   * Up to `limit` due deliveries of the list, each leased for `leaseMs`: one
   * attempt more, due again only when the lease ends (the attempt was lost
   * with its instance). Rows another instance is claiming are skipped.
   */
  claim(listId: string, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    // One statement, so no BEGIN and COMMIT around it: its row locks last until it ends.
    return this.sql.query<ClaimedDelivery>(
      `WITH due AS (
           SELECT d.id FROM webhook_deliveries d
             JOIN webhooks w ON w.list_id = d.list_id AND w.id = d.webhook_id
            WHERE d.list_id = $1 AND w.list_id = $1 AND d.status = 'pending' AND d.next_attempt_at <= now()
              AND w.enabled
            ORDER BY d.next_attempt_at
            LIMIT $2
              FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1, lease = $4, last_attempt_at = now(),
                next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
           FROM due, webhooks w
          WHERE d.list_id = $1 AND d.id = due.id AND w.list_id = $1 AND w.id = d.webhook_id
          RETURNING d.list_id AS "listId", d.id, d.webhook_id AS "webhookId", d.event_id AS "eventId", d.payload,
                    d.attempts, d.lease, d.manual, w.url, w.secret, w.previous_secret AS "previousSecret",
                    w.previous_secret_until AS "previousSecretUntil", w.deleting`,
      // One lease for the batch, made here: Citus refuses volatile functions in a distributed UPDATE.
      [listId, limit, leaseMs, randomUUID()],
    );
  }

  /**
   * The attempt's outcome, if its lease is still the delivery's (else a later
   * claim owns it). Most are this one statement; turning the endpoint off or
   * retiring it joins it in a transaction.
   */
  async settle(delivery: ClaimedDelivery, result: Settlement): Promise<void> {
    if (!result.disable && !delivery.deleting) {
      await this.record(this.sql, delivery, result);
      return;
    }
    await this.sql.transaction(async (tx) => {
      if (!(await this.record(tx, delivery, result))) return;
      if (result.disable) {
        await tx.query(
          `UPDATE webhooks SET enabled = false, disabled_reason = $3, updated_at = now()
            WHERE list_id = $1 AND id = $2`,
          [delivery.listId, delivery.webhookId, result.disable],
        );
      }
      // An endpoint of a deleted list goes with its last delivery.
      if (!delivery.deleting) return;
      await tx.query(
        `DELETE FROM webhooks w WHERE w.list_id = $1 AND w.id = $2 AND w.deleting
            AND (NOT w.enabled OR NOT EXISTS (SELECT 1 FROM webhook_deliveries d
                             WHERE d.list_id = w.list_id AND d.webhook_id = w.id AND d.status = 'pending'))`,
        [delivery.listId, delivery.webhookId],
      );
    });
  }

  private async record(session: SqlSession, delivery: ClaimedDelivery, result: Settlement): Promise<boolean> {
    // Two texts rather than a CASE: Citus takes no now() inside one.
    const pending = result.status === 'pending';
    const rows = await session.query<{ id: string }>(
      `UPDATE webhook_deliveries
          SET status = $4, lease = NULL, manual = false, last_status_code = $5, last_response = $6, last_error = $7,
              next_attempt_at = ${pending ? 'now() + make_interval(secs => $8::double precision / 1000)' : 'NULL'}
        WHERE list_id = $1 AND id = $2 AND lease = $3
        RETURNING id`,
      [
        delivery.listId,
        delivery.id,
        delivery.lease,
        result.status,
        result.statusCode,
        result.responseBody,
        result.error,
        ...(pending ? [result.retryInMs ?? 0] : []),
      ],
    );
    return rows.length > 0;
  }
}
