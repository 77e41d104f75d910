import { CreateTaskDto } from './create-task.dto.js';

/** `PUT`: the full writable task; an omitted optional field returns to its default. */
export class ReplaceTaskDto extends CreateTaskDto {}
