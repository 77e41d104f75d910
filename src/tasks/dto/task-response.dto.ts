import { ApiProperty } from '@nestjs/swagger';
import { TaskPriority } from '../task-priority.js';

export class TaskResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  userId!: string;
  /** @example "Write the quarterly report" */
  title!: string;
  @ApiProperty({ type: String, nullable: true })
  description!: string | null;
  completed!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: Date | null;
  @ApiProperty({ enum: TaskPriority, enumName: 'TaskPriority' })
  priority!: TaskPriority;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  dueAt!: Date | null;
  /** @example ["work", "q4"] */
  tags!: string[];
  /**
   * Increments on every change; the `ETag` is `"<version>"`.
   * @example 1
   */
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;
}

export class TaskEnvelopeDto {
  data!: TaskResponseDto;
}

export class ListMetaDto {
  /** Tasks matching the filters, across all pages. */
  total!: number;
  limit!: number;
  /** Pass as `cursor` for the next page; `null` on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class TaskListEnvelopeDto {
  data!: TaskResponseDto[];
  meta!: ListMetaDto;
}
