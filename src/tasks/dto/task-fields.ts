import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEnum, IsOptional, IsString, IsUUID, ValidateIf } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { IsTimestamp } from '../../common/validation/is-timestamp.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';
import { TaskPriority } from '../task-priority.js';

/**
 * The rules of each writable task field (docs/API.md, "Tasks"), shared by
 * the create, replace and update bodies. `required: false` lets a field be
 * omitted; only the nullable fields accept `null`.
 */
const omittable = (required: boolean) =>
  required ? [] : [ValidateIf((_: object, value: unknown) => value !== undefined)];

export const TitleField = (required: boolean) =>
  applyDecorators(
    ApiProperty({ required, minLength: 1, maxLength: 200, example: 'Write the quarterly report' }),
    ...omittable(required),
    Trim(),
    IsString(),
    CodePointLength(1, 200),
  );

export const DescriptionField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000, example: 'Numbers from finance first' }),
    IsOptional(),
    IsString(),
    CodePointLength(0, 2000),
  );

export const CompletedField = () =>
  applyDecorators(ApiPropertyOptional({ example: false }), ...omittable(false), IsBoolean());

export const PriorityField = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: TaskPriority, enumName: 'TaskPriority', example: TaskPriority.High }),
    ...omittable(false),
    IsEnum(TaskPriority, { message: 'must be one of: low, medium, high' }),
  );

export const DueAtField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example: '2026-12-01T17:00:00.000Z' }),
    IsOptional(),
    IsTimestamp(),
  );

/** Trimmed, exact duplicates removed, then at most 20, each 1 to 50 characters. */
export const TagsField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 50 },
      maxItems: 20,
      example: ['work', 'q4'],
    }),
    ...omittable(false),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value)
        ? [...new Set((value as unknown[]).map((tag) => (typeof tag === 'string' ? tag.trim() : tag)))]
        : value,
    ),
    IsArray(),
    ArrayMaxSize(20),
    IsString({ each: true, message: 'each tag must be a string' }),
    CodePointLength(1, 50, { each: true, message: 'each tag must be between 1 and 50 characters' }),
  );

/**
 * The task's list. On create: the list to create in (default: the caller's default list; under
 * `/api/lists/{listId}/tasks` only that list). On `PUT` and `PATCH`: the list to move the task to
 * (`editor` on both lists); omitted, the task stays where it is.
 */
export const ListIdField = () =>
  applyDecorators(
    ApiPropertyOptional({
      format: 'uuid',
      description:
        'The list: on create, where the task goes (default: the caller’s default list; under `/api/lists/{listId}/tasks` that list, and another one is a 400); ' +
        'on `PUT`/`PATCH`, the list to move the task to (`editor` on both lists; a list the caller is not a member of is a 404); omitted, the task stays in its list.',
    }),
    ...omittable(false),
    IsUUID('all', { message: 'must be a UUID' }),
  );

/** Who the task is assigned to: a current member of the task's list (after a move, of the target list), or null. */
export const AssigneeIdField = () =>
  applyDecorators(
    ApiPropertyOptional({
      type: String,
      format: 'uuid',
      nullable: true,
      description:
        'The member the task is assigned to, or `null`: a current member of the task’s list (of the target list when the same request moves it), else a 400. Default `null`.',
    }),
    IsOptional(),
    IsUUID('all', { message: 'must be a UUID' }),
  );
