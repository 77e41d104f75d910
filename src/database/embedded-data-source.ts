import { DataSource, type DataSourceOptions } from 'typeorm';
import type { EmbeddedPostgres } from './embedded-postgres.js';

/** A data source that owns the embedded engine it runs on, and stops it after itself. */
export class EmbeddedDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    private readonly engine: EmbeddedPostgres,
  ) {
    super(options);
  }

  override async destroy(): Promise<void> {
    try {
      if (this.isInitialized) await super.destroy();
    } finally {
      await this.engine.stop();
    }
  }
}
