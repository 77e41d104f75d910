import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';

export const NameField = (required: boolean) =>
  applyDecorators(
    ApiProperty({ required, minLength: 1, maxLength: 100, example: 'Groceries' }),
    ...(required ? [] : [ValidateIf((_: object, value: unknown) => value !== undefined)]),
    Trim(),
    IsString(),
    CodePointLength(1, 100),
  );

/** `#rrggbb`, stored in lower case; `null` clears it. */
export const ColorField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, pattern: '^#[0-9A-Fa-f]{6}$', example: '#3b82f6' }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value)),
    IsOptional(),
    Matches(/^#[0-9a-f]{6}$/, { message: 'must be a colour in the form #rrggbb' }),
    IsString(),
  );
