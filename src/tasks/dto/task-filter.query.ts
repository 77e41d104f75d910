import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CodePointLength } from '../../common/validation/code-point-length.decorator.js';
import { IsTimestamp } from '../../common/validation/is-timestamp.decorator.js';
import { Trim } from '../../common/validation/trim.transform.js';
import { TASK_STATUSES, type TaskStatus } from '../list/task-filters.js';
import { TaskPriority } from '../task-priority.js';

/** PostgreSQL text cannot hold NUL; such a value is the client's mistake, not a database error. */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const NO_NUL = /^[^\u0000]*$/;

/** `me`, `none`, or a user id. */
const ASSIGNEE = /^(me|none|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Which of the caller's tasks a request means (docs/API.md, "List query parameters"):
 * the list and the bulk completion take the same filters. Unknown parameters are a 400.
 */
export class TaskFilterQuery {
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
    minLength: 2,
    maxLength: 36,
    description:
      'Only tasks assigned to `me` (the caller), to nobody (`none`), or to the member with this user id (a UUID).',
    example: 'me',
  })
  @IsOptional()
  @Matches(ASSIGNEE, { message: 'must be me, none or a user id (a UUID)' })
  @IsString()
  assignee?: string;
}
