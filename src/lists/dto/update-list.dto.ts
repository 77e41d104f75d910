import { ColorField, NameField } from './list-fields.js';

/** `PATCH`: a non-empty subset of the list's writable fields; `null` clears `color`. */
export class UpdateListDto {
  @NameField(false)
  name?: string;

  @ColorField()
  color?: string | null;
}
