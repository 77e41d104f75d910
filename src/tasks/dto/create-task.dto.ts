import type { TaskPriority } from '../task-priority.js';
import {
  AssigneeIdField,
  CompletedField,
  DescriptionField,
  DueAtField,
  ListIdField,
  PriorityField,
  TagsField,
  TitleField,
} from './task-fields.js';

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

  @ListIdField()
  listId?: string;

  @AssigneeIdField()
  assigneeId?: string | null;
}
