import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { LimitReachedException } from '../common/problems/limit-reached.exception.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { webhooksConfig } from '../config/webhooks.config.js';
import { ListAccess } from '../lists/list-access.js';
import type { DeliveryResponseDto, WebhookResponseDto, WebhookWithSecretDto } from './dto/webhook-response.dto.js';
import { SecretBox } from './secret-box.js';
import { newSigningSecret } from './webhook-signature.js';
import { type DeliveryRow, type WebhookRow, WebhooksRepository } from './webhooks.repository.js';

/** The old secret keeps signing beside the new one this long after a rotation. */
const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/**
 * The endpoints of a list: every operation needs `admin` in the list
 * (`ListAccess`: 404 for a non-member, 403 below admin), and every statement
 * filters on the list again.
 */
@Injectable()
export class WebhooksService {
  constructor(
    @Inject(webhooksConfig.KEY) private readonly config: ConfigType<typeof webhooksConfig>,
    private readonly repository: WebhooksRepository,
    private readonly listAccess: ListAccess,
    private readonly secrets: SecretBox,
  ) {}

  async create(
    callerId: string,
    listId: string,
    input: { url: string; events: string[]; description?: string | null },
  ): Promise<WebhookWithSecretDto> {
    await this.requireAdmin(callerId, listId);
    const id = randomUUID();
    const secret = newSigningSecret();
    const row = await this.repository.create(
      {
        id,
        listId,
        url: input.url,
        events: input.events,
        description: input.description ?? null,
        secret: this.secrets.seal(secret, `${listId}:${id}`),
        createdBy: callerId,
      },
      this.config.maxPerList,
    );
    if (row === 'limit') {
      throw new LimitReachedException(`A list has at most ${this.config.maxPerList} webhooks (WEBHOOKS_MAX_PER_LIST)`);
    }
    return { ...toWebhook(row), secret };
  }

  async list(callerId: string, listId: string): Promise<WebhookResponseDto[]> {
    await this.requireAdmin(callerId, listId);
    return (await this.repository.list(listId)).map(toWebhook);
  }

  async get(callerId: string, listId: string, id: string): Promise<WebhookResponseDto> {
    await this.requireAdmin(callerId, listId);
    return toWebhook(found(await this.repository.find(listId, id)));
  }

  async update(
    callerId: string,
    listId: string,
    id: string,
    changes: { url?: string; events?: string[]; description?: string | null; enabled?: boolean },
  ): Promise<WebhookResponseDto> {
    if (Object.values(changes).every((value) => value === undefined)) {
      throw ValidationProblemException.of('body', 'must contain at least one writable field');
    }
    await this.requireAdmin(callerId, listId);
    return toWebhook(found(await this.repository.update(listId, id, changes)));
  }

  async rotate(callerId: string, listId: string, id: string): Promise<WebhookWithSecretDto> {
    await this.requireAdmin(callerId, listId);
    const secret = newSigningSecret();
    const row = found(
      await this.repository.rotate(listId, id, this.secrets.seal(secret, `${listId}:${id}`), ROTATION_OVERLAP_MS),
    );
    return { ...toWebhook(row), secret };
  }

  async remove(callerId: string, listId: string, id: string): Promise<void> {
    await this.requireAdmin(callerId, listId);
    if (!(await this.repository.remove(listId, id))) throw notFound();
  }

  async deliveries(
    callerId: string,
    listId: string,
    id: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ deliveries: DeliveryResponseDto[]; total: number; nextCursor: string | null }> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    await this.requireAdmin(callerId, listId);
    found(await this.repository.find(listId, id));
    const [rows, total] = await Promise.all([
      this.repository.deliveries(listId, id, limit + 1, after),
      this.repository.countDeliveries(listId, id),
    ]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
    return { deliveries: page.map(toDelivery), total, nextCursor };
  }

  async retry(callerId: string, listId: string, id: string, deliveryId: string): Promise<void> {
    await this.requireAdmin(callerId, listId);
    found(await this.repository.find(listId, id));
    if (!(await this.repository.retryDelivery(listId, id, deliveryId)))
      throw new NotFoundException('Delivery not found');
  }

  /** Webhooks switched off answer as if the routes did not exist. */
  private async requireAdmin(callerId: string, listId: string): Promise<void> {
    if (!this.config.enabled) throw new NotFoundException('Webhooks are not enabled on this server');
    await this.listAccess.require(callerId, listId, 'admin');
  }
}

function notFound(): NotFoundException {
  return new NotFoundException('Webhook not found');
}

function found(row: WebhookRow | undefined): WebhookRow {
  if (row === undefined) throw notFound();
  return row;
}

function toWebhook(row: WebhookRow): WebhookResponseDto {
  const rotating = row.previousSecretUntil !== null && Date.parse(row.previousSecretUntil) > Date.now();
  return {
    id: row.id,
    listId: row.listId,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: rotating ? row.previousSecretUntil : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toDelivery(row: DeliveryRow): DeliveryResponseDto {
  return {
    id: row.id,
    eventId: row.eventId,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastResponseBody: row.lastResponseBody,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt : null,
    createdAt: row.createdAt,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(row: DeliveryRow): string {
  return Buffer.from(JSON.stringify([row.createdAt, row.id])).toString('base64url');
}

/** A cursor this service did not write is a 400 on `cursor`. */
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      !Number.isNaN(Date.parse(value[0])) &&
      /^\d{4}-\d{2}-\d{2}T/.test(value[0]) &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // falls through to the problem
  }
  throw ValidationProblemException.of('cursor', 'is not a cursor of this list');
}
