import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { changesConfig } from '../config/changes.config.js';
import { ChangeRetention } from './change-retention.js';
import { ChangesRepository } from './changes.repository.js';

/**
 * Deletes changes past CHANGES_RETENTION_DAYS, every CHANGES_PURGE_INTERVAL_MS
 * on every instance (the deletes are idempotent; running on several costs one
 * cheap statement each), but for those still held (`ChangeRetention`: a list's
 * changes its webhooks have not turned into deliveries yet). A feed cursor
 * that old answers `410 cursor-expired` all the same.
 */
@Injectable()
export class ChangesPurge implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChangesPurge');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: ChangesRepository,
    private readonly retention: ChangeRetention,
    @Inject(changesConfig.KEY) private readonly config: ConfigType<typeof changesConfig>,
  ) {}

  onModuleInit(): void {
    if (this.config.purgeIntervalMs === 0) return;
    this.timer = setInterval(() => void this.purge(), this.config.purgeIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<void> {
    try {
      const before = new Date(Date.now() - this.config.retentionMs);
      await this.repository.purge(before, await this.retention.holds(before));
    } catch (error) {
      this.logger.warn(`Purge failed: ${(error as Error).message}`);
    }
  }
}
