import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { WEBHOOK_EVENTS } from '../webhook-events.js';

/**
 * The target: an absolute `https` URL (or `http`, which is accepted here and
 * refused at delivery unless private targets are allowed), without
 * credentials. Where it points is checked at each delivery, on the resolved
 * address.
 */
export const UrlField = (required: boolean) =>
  applyDecorators(
    required
      ? ApiProperty({ format: 'uri', maxLength: 2048, example: 'https://example.com/hooks/taskwell' })
      : ApiPropertyOptional({ format: 'uri', maxLength: 2048, example: 'https://example.com/hooks/taskwell' }),
    ...(required ? [] : [IsOptional()]),
    IsUrl(
      {
        protocols: ['https', 'http'],
        require_protocol: true,
        require_tld: false,
        allow_underscores: true,
        disallow_auth: true,
      },
      { message: 'must be an absolute https URL without credentials' },
    ),
    MaxLength(2048),
    IsString({ message: 'must be a string' }),
  );

export const EventsField = (required: boolean) =>
  applyDecorators(
    required
      ? ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', isArray: true, example: ['task.created'] })
      : ApiPropertyOptional({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', isArray: true }),
    ...(required ? [] : [IsOptional()]),
    IsIn(WEBHOOK_EVENTS, { each: true, message: `each must be one of: ${WEBHOOK_EVENTS.join(', ')}` }),
    ArrayUnique({ message: 'must not repeat an event' }),
    ArrayMaxSize(WEBHOOK_EVENTS.length),
    ArrayMinSize(1, { message: 'must name at least one event' }),
    IsArray({ message: 'must be an array of event types' }),
  );

export const DescriptionField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 }),
    IsOptional(),
    ValidateIf((_object, value) => value !== null),
    MaxLength(500),
    IsString({ message: 'must be a string' }),
  );
