import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { pino } from 'pino';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { appConfig } from '../config/app.config.js';
import { databaseConfig } from '../config/database.config.js';
import { initializeWithRetry } from './boot-connect.js';
import { createDataSource } from './create-data-source.js';
import { DatabaseStartup, describeEngine } from './database-startup.js';
import { dataSourceOptions } from './data-source-options.js';
import { embeddedFolder } from './embedded-postgres.js';
import { DatabaseShareInterceptor } from './fair-share/database-share.interceptor.js';
import { migrateOnce } from './migrate-once.js';

const logger = new Logger('Database');

/** Filled while the data source initializes, read once by the `DatabaseStartup` provider. */
const startups = new WeakMap<DataSource, DatabaseStartup>();

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(config),
        // Run below, after initialize(): once across instances, and named in the start-up summary.
        migrationsRun: false,
        autoLoadEntities: true,
        // The retries are ours (initializeWithRetry): with backoff, a time window and a clear last word.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const { url, dataDir, bootRetrySeconds, migrationsRun } = databaseConfig();
        const dataSource = await createDataSource(options as DataSourceOptions, url, dataDir);
        try {
          // Written at once, not buffered with Nest's start-up lines: a wait of a minute must be visible.
          const waiting = pino(
            { level: appConfig().logLevel, timestamp: pino.stdTimeFunctions.isoTime },
            pino.destination({ sync: true }),
          );
          await initializeWithRetry(dataSource, {
            windowMs: bootRetrySeconds * 1000,
            log: (message) => waiting.warn({ context: 'Database' }, message),
          });
          const applied = migrationsRun ? await migrateOnce(dataSource, (message) => logger.log(message)) : undefined;
          startups.set(dataSource, new DatabaseStartup(describeEngine(url, embeddedFolder(dataDir)), applied));
          return dataSource;
        } catch (error) {
          await dataSource.destroy().catch(() => undefined); // stops the embedded engine, if any
          throw error;
        }
      },
    }),
  ],
  providers: [
    // One account's share of the pool (requests served at once), after the guards have named the caller.
    { provide: APP_INTERCEPTOR, useClass: DatabaseShareInterceptor },
    {
      provide: DatabaseStartup,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => startups.get(dataSource),
    },
  ],
  exports: [DatabaseStartup],
})
export class DatabaseModule {}
