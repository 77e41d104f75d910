import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../changes/change-log.module.js';
import { SqlModule } from '../database/sql.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { DeliveryQueueRepository } from './delivery-queue.repository.js';
import { SecretBox } from './secret-box.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookPrecondition } from './webhook-precondition.js';
import { WebhookRetention } from './webhook-retention.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksService } from './webhooks.service.js';

/** Outgoing webhooks: the endpoints' routes and the dispatcher that follows the change log. */
@Module({
  imports: [SqlModule, ListsModule, ChangeLogModule],
  controllers: [WebhooksController],
  providers: [
    WebhooksService,
    WebhooksRepository,
    DeliveryQueueRepository,
    WebhookPrecondition,
    SecretBox,
    WebhookSender,
    WebhookDispatcher,
    WebhookRetention,
  ],
})
export class WebhooksModule {}
