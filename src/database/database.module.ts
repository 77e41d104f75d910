import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { databaseConfig } from '../config/database.config.js';
import { initializeWithRetry } from './boot-connect.js';
import { createDataSource } from './create-data-source.js';
import { dataSourceOptions } from './data-source-options.js';
import { migrateOnce } from './migrate-once.js';

const logger = new Logger('Database');

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions({ ...config, url: config.url ?? '' }),
        // Migrations run below, once across instances, not in initialize().
        migrationsRun: false,
        autoLoadEntities: true,
        // The retries are ours (initializeWithRetry): with backoff, a time window and a clear last word.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const { url, dataDir, bootRetrySeconds, migrationsRun } = databaseConfig();
        const dataSource = await createDataSource(options as DataSourceOptions, url, dataDir);
        try {
          await initializeWithRetry(dataSource, {
            windowMs: bootRetrySeconds * 1000,
            log: (message) => logger.warn(message),
          });
          if (migrationsRun) {
            const applied = await migrateOnce(dataSource, (message) => logger.log(message));
            if (applied > 0) logger.log(`Applied ${applied} migration${applied === 1 ? '' : 's'}`);
          }
          return dataSource;
        } catch (error) {
          await dataSource.destroy().catch(() => undefined); // stops the embedded engine, if any
          throw error;
        }
      },
    }),
  ],
})
export class DatabaseModule {}
