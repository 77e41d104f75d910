import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChangeResponseDto {
  @ApiProperty({ enum: ['task', 'list', 'member'], enumName: 'ChangeEntity' })
  entity!: string;

  @ApiProperty({ enum: ['upsert', 'delete'], enumName: 'ChangeOp' })
  op!: string;

  /** The task's or the list's id; for a member, their user id. */
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  listId!: string;

  /** Apply the change only if this is newer than the version held (a member: the list's version). */
  @ApiProperty({ type: 'integer' })
  version!: number;

  /** For an upsert: the resource as its route returns it (a task, a list, a member). */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  data?: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: ['deleted', 'moved', 'access_revoked'],
    enumName: 'ChangeDeleteReason',
    description:
      '`moved`: the task went to a list the caller cannot see; `access_revoked`: one change for a whole list the caller left or was removed from (drop its tasks and members).',
  })
  reason?: string;
}

export class ChangePageMetaDto {
  /** Where the next read starts; never null. */
  @ApiProperty()
  cursor!: string;

  /** More changes are waiting: read again at once. */
  @ApiProperty()
  hasMore!: boolean;
}

export class ChangePageDto {
  @ApiProperty({ type: [ChangeResponseDto] })
  data!: ChangeResponseDto[];

  @ApiProperty({ type: ChangePageMetaDto })
  meta!: ChangePageMetaDto;
}
