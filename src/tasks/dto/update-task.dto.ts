import { OmitType } from '@nestjs/swagger';
import { CreateTaskDto } from './create-task.dto.js';
import { TitleField } from './task-fields.js';

/**
 * `PATCH`: any non-empty subset of the writable fields; `null` clears
 * `description` or `dueAt`. (Not `PartialType`: that would let `title` be null.)
 */
export class UpdateTaskDto extends OmitType(CreateTaskDto, ['title'] as const) {
  @TitleField(false)
  title?: string;
}
