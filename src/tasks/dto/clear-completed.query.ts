import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

/** `DELETE {base}/completed` query parameters. Unknown parameters are a 400. */
export class ClearCompletedQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The list to clear (`editor` needed; not a member: 404). Default: the caller’s default list. Under `/api/lists/{listId}/tasks` the path’s list, and another one is a 400.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  listId?: string;
}
