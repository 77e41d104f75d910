import { ApiProperty } from '@nestjs/swagger';
import { TaskPriority } from '../task-priority.js';

export class TaskResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  /** The creator (an alias of `createdBy`); never changes. */
  @ApiProperty({ format: 'uuid', description: 'The task’s creator (an alias of `createdBy`); never changes.' })
  userId!: string;
  @ApiProperty({ format: 'uuid', description: 'The list the task belongs to.' })
  listId!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The member the task is assigned to; `null` when unassigned (also once that account is deleted).',
  })
  assigneeId!: string | null;
  @ApiProperty({ format: 'uuid', description: 'Who created the task (the id stays after that account is deleted).' })
  createdBy!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who changed the task last.' })
  updatedBy!: string | null;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Who completed the task; `null` while it is pending.',
  })
  completedBy!: string | null;
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Write the quarterly report' })
  title!: string;
  @ApiProperty({ type: String, nullable: true, maxLength: 2000 })
  description!: string | null;
  completed!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt!: string | null;
  @ApiProperty({ enum: TaskPriority, enumName: 'TaskPriority' })
  priority!: TaskPriority;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  dueAt!: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 50 },
    maxItems: 20,
    example: ['work', 'q4'],
  })
  tags!: string[];
  /** Increments on every change; the `ETag` is `"<version>"`. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  version!: number;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

export class TaskEnvelopeDto {
  data!: TaskResponseDto;
}

export class ListMetaDto {
  /** Tasks matching the filters, across all pages. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 42 })
  total!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, example: 20 })
  limit!: number;
  /** Pass as `cursor` for the next page; `null` on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class TaskListEnvelopeDto {
  data!: TaskResponseDto[];
  meta!: ListMetaDto;
}
