import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { IsTimestamp } from '../../common/validation/is-timestamp.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';
import { TASK_STATUSES, type TaskStatus } from '../list/task-filters.js';
import { SORT_KEYS, type SortKey, type SortOrder } from '../list/task-sort.js';
import { TaskPriority } from '../task-priority.js';

/** Strict integer parsing: "10abc" or "1e1" is not 10. */
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/** PostgreSQL text cannot hold NUL; such a value is the client's mistake, not a database error. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const NO_NUL = /^[^\u0000]*$/;

/**
 * `GET {base}` query parameters (docs/API.md, "List query parameters"); unknown ones are a 400.
 * class-validator runs a property's rules from the bottom up and stops at the first failure,
 * so the type check sits closest to the property: `limit=abc` is "must be an integer".
 */
export class ListTasksQuery {
  @ApiPropertyOptional({
    enum: TASK_STATUSES,
    enumName: 'TaskStatusFilter',
    default: 'all',
    description: 'Which tasks: `all`, only `pending` (not completed) ones, or only `completed` ones.',
  })
  @IsIn(TASK_STATUSES, { message: 'must be one of: all, pending, completed' })
  status: TaskStatus = 'all';

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 200,
    description:
      'Case-insensitive text search: tasks whose title or description contains this text. `%`, `_` and `\\` match themselves; tags are not searched (use `tag`).',
  })
  @IsOptional()
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  @CodePointLength(1, 200)
  @IsString()
  q?: string;

  @ApiPropertyOptional({
    enum: TaskPriority,
    enumName: 'TaskPriority',
    description: 'Only tasks of this priority.',
  })
  @IsOptional()
  @IsEnum(TaskPriority, { message: 'must be one of: low, medium, high' })
  priority?: TaskPriority;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 50,
    description: 'Only tasks carrying exactly this tag (trimmed first, as tags are stored).',
  })
  @IsOptional()
  @Trim()
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  @CodePointLength(1, 50)
  @IsString()
  tag?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Only tasks due at or before this time (inclusive); tasks without `dueAt` are left out.',
  })
  @IsOptional()
  @IsTimestamp()
  dueBefore?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Only tasks due at or after this time (inclusive); tasks without `dueAt` are left out.',
  })
  @IsOptional()
  @IsTimestamp()
  dueAfter?: string;

  @ApiPropertyOptional({
    enum: SORT_KEYS,
    enumName: 'TaskSort',
    default: 'createdAt',
    description:
      'Sort key; ties break on `id`. `priority` sorts by rank (high, medium, low), `dueAt` puts tasks without one last in either order, `title` compares ASCII letters case-insensitively, then byte by byte.',
  })
  @IsIn(SORT_KEYS, { message: `must be one of: ${SORT_KEYS.join(', ')}` })
  sort: SortKey = 'createdAt';

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    enumName: 'SortOrder',
    description:
      'Sort direction. Default: `desc` for `createdAt`, `updatedAt` and `priority`; `asc` for `title` and `dueAt`.',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order?: SortOrder;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 20,
    description: 'Page size: at most this many tasks in `data`.',
  })
  @Transform(toInt)
  @Max(100)
  @Min(1)
  @IsInt({ message: 'must be an integer' })
  limit: number = 20;

  /** Filters may change between pages: the cursor is a position, not a snapshot. */
  @ApiPropertyOptional({
    maxLength: 1024,
    description:
      'The `meta.nextCursor` of the previous page, to fetch the next one. Opaque; valid only with the same `sort` and `order` (a 400 otherwise).',
  })
  @IsOptional()
  @MaxLength(1024)
  @IsString()
  cursor?: string;
}
