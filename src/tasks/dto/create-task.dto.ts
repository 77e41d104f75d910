import type { TaskPriority } from '../task-priority.js';
import { CompletedField, DescriptionField, DueAtField, PriorityField, TagsField, TitleField } from './task-fields.js';

export class CreateTaskDto {
  @TitleField(true)
  title!: string;

  @DescriptionField()
  description?: string | null;

  @CompletedField()
  completed?: boolean;

  @PriorityField()
  priority?: TaskPriority;

  @DueAtField()
  dueAt?: string | null;

  @TagsField()
  tags?: string[];
}
