import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENTS } from '../webhook-events.js';

export class WebhookResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  listId!: string;
  @ApiProperty({ format: 'uri' })
  url!: string;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', isArray: true })
  events!: string[];
  enabled!: boolean;
  /** Why the service turned it off: `gone` (the receiver answered 410), `failing` (a delivery failed its whole schedule). */
  @ApiProperty({ type: 'string', nullable: true, enum: ['gone', 'failing'], enumName: 'WebhookDisabledReason' })
  disabledReason!: string | null;
  /** Until when the secret before the last rotation still signs beside the current one. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  previousSecretExpiresAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

export class WebhookWithSecretDto extends WebhookResponseDto {
  /** `whsec_` and the base64 of 32 random bytes: shown this once (creation, rotation). */
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class WebhookEnvelopeDto {
  data!: WebhookResponseDto;
}

export class WebhookWithSecretEnvelopeDto {
  data!: WebhookWithSecretDto;
}

export class WebhookListEnvelopeDto {
  data!: WebhookResponseDto[];
}

export class DeliveryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  /** The event's id, sent as `webhook-id` on every attempt. */
  @ApiProperty({ format: 'uuid' })
  eventId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent' })
  type!: string;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed', 'refused'], enumName: 'DeliveryStatus' })
  status!: string;
  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts!: number;
  @ApiProperty({ type: 'integer', nullable: true })
  lastStatusCode!: number | null;
  /** The last response's body, its first 1 KB. */
  @ApiProperty({ type: String, nullable: true, maxLength: 1024 })
  lastResponseBody!: string | null;
  /** Why the last attempt got no response (time-out, connection, refused target). */
  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastAttemptAt!: string | null;
  /** Null once the delivery is finished. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class DeliveryPageMetaDto {
  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100 })
  limit!: number;
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class DeliveryPageEnvelopeDto {
  data!: DeliveryResponseDto[];
  meta!: DeliveryPageMetaDto;
}
