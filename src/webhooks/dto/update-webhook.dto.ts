import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { DescriptionField, EventsField, UrlField } from './webhook-fields.js';

/** `PATCH`: a non-empty subset; `enabled: true` turns back on an endpoint that a `410` or its failures turned off. */
export class UpdateWebhookDto {
  @UrlField(false)
  url?: string;

  @EventsField(false)
  events?: string[];

  @DescriptionField()
  description?: string | null;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean({ message: 'must be a boolean' })
  enabled?: boolean;
}
