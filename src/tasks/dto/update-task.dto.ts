import type { TaskPriority } from '../task-priority.js';
import { CompletedField, DescriptionField, DueAtField, PriorityField, TagsField, TitleField } from './task-fields.js';

/** `PATCH`: any non-empty subset of the writable fields; `null` clears `description` or `dueAt`. */
export class UpdateTaskDto {
  @TitleField(false)
  title?: string;

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
