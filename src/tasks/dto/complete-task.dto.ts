import { CompletedField } from './task-fields.js';

/** `/complete`: `{ completed }` sets it; no body (or `{}`) toggles. */
export class CompleteTaskDto {
  @CompletedField()
  completed?: boolean;
}
