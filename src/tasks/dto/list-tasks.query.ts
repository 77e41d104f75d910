import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { SORT_KEYS, type SortKey, type SortOrder } from '../list/task-sort.js';
import { TaskFilterQuery } from './task-filter.query.js';

/** Strict integer parsing: "10abc" or "1e1" is not 10. */
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/**
 * `GET {base}` query parameters (docs/API.md, "List query parameters"): the filters, then sort and
 * paging. class-validator runs a property's rules from the bottom up and stops at the first failure,
 * so the type check sits closest to the property: `limit=abc` is "must be an integer".
 */
export class ListTasksQuery extends TaskFilterQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Only the tasks of this list (a list the caller is not a member of is a 404). Without it, `/api/tasks` and `/api/{userId}/tasks` list every list the caller belongs to. Under `/api/lists/{listId}/tasks` only the path’s list may be named.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  listId?: string;

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
