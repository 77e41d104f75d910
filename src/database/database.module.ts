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

/**
 * What `dataSourceFactory` needs of the injected configuration: Nest hands it
 * only the options `useFactory` returned (copied, so under a symbol key that
 * TypeORM ignores), not the namespaces themselves.
 */
const BOOT = Symbol('boot settings');

interface BootSettings {
  database: ConfigType<typeof databaseConfig>;
  logLevel: string;
}

type OptionsWithBoot = DataSourceOptions & { [BOOT]: BootSettings };

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY, appConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>, app: ConfigType<typeof appConfig>) => ({
        ...dataSourceOptions(config),
        [BOOT]: { database: config, logLevel: app.logLevel } satisfies BootSettings,
        // Run below, after initialize(): once across instances, and named in the start-up summary.
        migrationsRun: false,
        autoLoadEntities: true,
        // The retries are ours (initializeWithRetry): with backoff, a time window and a clear last word.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const { [BOOT]: boot, ...typeormOptions } = options as OptionsWithBoot;
        const { url, dataDir, bootRetrySeconds, migrationsRun } = boot.database;
        const dataSource = await createDataSource(typeormOptions, url, dataDir);
        try {
          // Written at once, not buffered with Nest's start-up lines: a wait of a minute must be visible.
          const waiting = pino(
            { level: boot.logLevel, timestamp: pino.stdTimeFunctions.isoTime },
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
