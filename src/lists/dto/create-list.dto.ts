import { ColorField, NameField } from './list-fields.js';

export class CreateListDto {
  @NameField(true)
  name!: string;

  @ColorField()
  color?: string | null;
}
