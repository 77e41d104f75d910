import { Injectable } from '@nestjs/common';
import { SqlRunner } from '../database/sql-runner.js';

/** An endpoint as stored (the secrets sealed). */
export interface WebhookRow {
  id: string;
  listId: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryRow {
  id: string;
  webhookId: string;
  eventId: string;
  type: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastResponseBody: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
}

const WEBHOOK_COLUMNS = `id, list_id AS "listId", url, description, events, enabled, disabled_reason AS "disabledReason",
  secret, previous_secret AS "previousSecret", previous_secret_until AS "previousSecretUntil",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const DELIVERY_COLUMNS = `id, webhook_id AS "webhookId", event_id AS "eventId", type, status, attempts,
  last_status_code AS "lastStatusCode", last_response AS "lastResponseBody", last_error AS "lastError",
  last_attempt_at AS "lastAttemptAt", next_attempt_at AS "nextAttemptAt", created_at AS "createdAt"`;

export interface NewWebhook {
  id: string;
  listId: string;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  createdBy: string;
}

/**
 * Every statement of the endpoints' routes. Each filters on `list_id` first:
 * the route has checked the caller's role in that list, and on Citus the
 * statement stays on the list's shard.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly sql: SqlRunner) {}

  /**
   * A new endpoint of the list, unless the list already has `max`: the list's
   * cursor row is locked first, so two creations of one list count one after
   * the other. The endpoint's events are the changes after the list's current
   * number.
   */
  create(webhook: NewWebhook, max: number): Promise<WebhookRow | 'limit'> {
    return this.sql.transaction(async (tx) => {
      const [counter] = await tx.query<{ seq: string }>(
        `SELECT change_seq AS seq FROM list_counters WHERE list_id = $1`,
        [webhook.listId],
      );
      const seq = counter?.seq ?? '0';
      await tx.query(`INSERT INTO webhook_cursors (list_id, seq) VALUES ($1, $2) ON CONFLICT (list_id) DO NOTHING`, [
        webhook.listId,
        seq,
      ]);
      await tx.query(`SELECT 1 FROM webhook_cursors WHERE list_id = $1 FOR UPDATE`, [webhook.listId]);
      const [{ count }] = await tx.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM webhooks WHERE list_id = $1 AND NOT deleting`,
        [webhook.listId],
      );
      if (count >= max) return 'limit';
      const [row] = await tx.query<WebhookRow>(
        `INSERT INTO webhooks (list_id, id, url, description, events, secret, from_seq, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         RETURNING ${WEBHOOK_COLUMNS}`,
        [
          webhook.listId,
          webhook.id,
          webhook.url,
          webhook.description,
          webhook.events,
          webhook.secret,
          seq,
          webhook.createdBy,
        ],
      );
      return row;
    });
  }

  list(listId: string): Promise<WebhookRow[]> {
    return this.sql.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE list_id = $1 AND NOT deleting ORDER BY created_at, id`,
      [listId],
    );
  }

  async find(listId: string, id: string): Promise<WebhookRow | undefined> {
    const rows = await this.sql.query<WebhookRow>(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE list_id = $1 AND id = $2 AND NOT deleting`,
      [listId, id],
    );
    return rows[0];
  }

  /** `enabled` back on clears the reason it was turned off. */
  async update(
    listId: string,
    id: string,
    changes: { url?: string; description?: string | null; events?: string[]; enabled?: boolean },
  ): Promise<WebhookRow | undefined> {
    const rows = await this.sql.write<WebhookRow>(
      `UPDATE webhooks
          SET url = COALESCE($3, url),
              description = CASE WHEN $4::boolean THEN $5 ELSE description END,
              events = COALESCE($6, events),
              enabled = COALESCE($7, enabled),
              disabled_reason = CASE WHEN $7 IS NULL THEN disabled_reason ELSE NULL END,
              updated_at = now()
        WHERE list_id = $1 AND id = $2 AND NOT deleting
        RETURNING ${WEBHOOK_COLUMNS}`,
      [
        listId,
        id,
        changes.url ?? null,
        changes.description !== undefined,
        changes.description ?? null,
        changes.events ?? null,
        changes.enabled ?? null,
      ],
    );
    return rows[0];
  }

  /** The new secret signs from now on; the current one beside it until `overlapMs` from now. */
  async rotate(listId: string, id: string, secret: string, overlapMs: number): Promise<WebhookRow | undefined> {
    const rows = await this.sql.write<WebhookRow>(
      `UPDATE webhooks
          SET previous_secret = secret, secret = $3,
              previous_secret_until = now() + make_interval(secs => $4::double precision / 1000),
              updated_at = now()
        WHERE list_id = $1 AND id = $2 AND NOT deleting
        RETURNING ${WEBHOOK_COLUMNS}`,
      [listId, id, secret, overlapMs],
    );
    return rows[0];
  }

  /** The endpoint and its delivery log (the foreign key cascades). */
  async remove(listId: string, id: string): Promise<boolean> {
    const rows = await this.sql.write<{ id: string }>(
      `DELETE FROM webhooks WHERE list_id = $1 AND id = $2 AND NOT deleting RETURNING id`,
      [listId, id],
    );
    return rows.length > 0;
  }

  /** The endpoint's deliveries, newest first, after the keyset position `after`. */
  deliveries(
    listId: string,
    webhookId: string,
    limit: number,
    after?: { createdAt: string; id: string },
  ): Promise<DeliveryRow[]> {
    return this.sql.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
        WHERE list_id = $1 AND webhook_id = $2
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $3`,
      [listId, webhookId, limit, after?.createdAt ?? null, after?.id ?? null],
    );
  }

  async countDeliveries(listId: string, webhookId: string): Promise<number> {
    const [row] = await this.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM webhook_deliveries WHERE list_id = $1 AND webhook_id = $2`,
      [listId, webhookId],
    );
    return row.count;
  }

  async findDelivery(listId: string, webhookId: string, id: string): Promise<DeliveryRow | undefined> {
    const rows = await this.sql.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE list_id = $1 AND webhook_id = $2 AND id = $3`,
      [listId, webhookId, id],
    );
    return rows[0];
  }

  /**
   * Due now. A finished delivery gets one more attempt (`manual`: no schedule
   * after it); one still in its schedule is brought forward; one in flight
   * keeps its lease (the attempt under way settles it). Two statements: Citus
   * takes no `now()` inside a CASE.
   */
  retryDelivery(listId: string, webhookId: string, id: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const key = [listId, webhookId, id];
      const finished = await tx.query(
        `UPDATE webhook_deliveries SET status = 'pending', manual = true, lease = NULL, next_attempt_at = now()
          WHERE list_id = $1 AND webhook_id = $2 AND id = $3 AND status <> 'pending'
          RETURNING id`,
        key,
      );
      if (finished.length > 0) return true;
      await tx.query(
        `UPDATE webhook_deliveries SET next_attempt_at = now()
          WHERE list_id = $1 AND webhook_id = $2 AND id = $3 AND status = 'pending' AND lease IS NULL`,
        key,
      );
      const rows = await tx.query(
        `SELECT 1 FROM webhook_deliveries WHERE list_id = $1 AND webhook_id = $2 AND id = $3`,
        key,
      );
      return rows.length > 0;
    });
  }
}
