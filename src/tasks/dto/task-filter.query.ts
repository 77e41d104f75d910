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

/**
 * Which of the caller's tasks a request means (shared/API.md, "List query parameters"):
 * the list and the bulk completion take the same filters. Unknown parameters are a 400.
 */
export class TaskFilterQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES, enumName: 'TaskStatusFilter', default: 'all' })
  @IsIn(TASK_STATUSES, { message: 'must be one of: all, pending, completed' })
  status: TaskStatus = 'all';

  /** Case-insensitive substring of the title or description; `%`, `_` and `\` match themselves. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  @CodePointLength(1, 200)
  @IsString()
  q?: string;

  @ApiPropertyOptional({ enum: TaskPriority, enumName: 'TaskPriority' })
  @IsOptional()
  @IsEnum(TaskPriority, { message: 'must be one of: low, medium, high' })
  priority?: TaskPriority;

  /** Tasks carrying exactly this tag (trimmed, as tags are stored). */
  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @IsOptional()
  @Trim()
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  @CodePointLength(1, 50)
  @IsString()
  tag?: string;

  /** Inclusive upper bound on `dueAt`; excludes tasks without one. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  dueBefore?: string;

  /** Inclusive lower bound on `dueAt`; excludes tasks without one. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @IsTimestamp()
  dueAfter?: string;
}
