import { DescriptionField, EventsField, UrlField } from './webhook-fields.js';

export class CreateWebhookDto {
  @UrlField(true)
  url!: string;

  @EventsField(true)
  events!: string[];

  @DescriptionField()
  description?: string | null;
}
