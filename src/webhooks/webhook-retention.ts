import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ChangeRetention } from '../changes/change-retention.js';
import { DeliveryQueueRepository } from './delivery-queue.repository.js';

/**
 * Keeps from the change log's purge the changes the dispatcher has not turned into deliveries yet
 * (after the list's cursor) in every list with an enabled endpoint. Registered whether or not this
 * instance dispatches: with WEBHOOKS_ENABLED=false everywhere for longer than CHANGES_RETENTION_DAYS,
 * those changes wait for the dispatcher instead of being lost. Disabled endpoints hold nothing: what
 * happens while one is off is not queued for it.
 */
@Injectable()
export class WebhookRetention implements OnModuleInit {
  constructor(
    private readonly retention: ChangeRetention,
    private readonly queue: DeliveryQueueRepository,
  ) {}

  onModuleInit(): void {
    this.retention.register((before) => this.queue.undispatchedBefore(before));
  }
}
