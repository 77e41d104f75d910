import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsUUID, ValidateIf } from 'class-validator';

/** `POST {base}/complete-all`: the state every matching task takes. */
export class CompleteAllDto {
  /** `true` completes the matching tasks, `false` makes them pending again. */
  @ApiProperty({ example: true })
  @IsBoolean()
  completed!: boolean;

  /**
   * Under `/api/tasks` and `/api/{userId}/tasks`: the list to act on (`editor` needed), the caller's
   * default list when omitted. Under `/api/lists/{listId}/tasks`: that list only.
   */
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The list to act on (`editor` needed; not a member: 404). Default: the caller’s default list. Under `/api/lists/{listId}/tasks` the path’s list, and another one is a 400.',
  })
  @ValidateIf((_: object, value: unknown) => value !== undefined)
  @IsUUID('all', { message: 'must be a UUID' })
  listId?: string;
}
