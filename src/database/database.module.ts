import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource, DataSourceOptions } from 'typeorm';
import { databaseConfig } from '../config/database.config.js';
import { createDataSource } from './create-data-source.js';
import { DatabaseStartup, describeEngine } from './database-startup.js';
import { dataSourceOptions } from './data-source-options.js';
import { embeddedFolder } from './embedded-postgres.js';

/** Filled while the data source initializes, read once by the `DatabaseStartup` provider. */
const startups = new WeakMap<DataSource, DatabaseStartup>();

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions(config),
        // Run below, after initialize(), so the start-up summary can name them.
        migrationsRun: false,
        autoLoadEntities: true,
        // Fail at boot instead of retrying for minutes: the supervisor restarts us.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const { url, dataDir, migrationsRun } = databaseConfig();
        const dataSource = await createDataSource(options as DataSourceOptions, url, dataDir);
        try {
          await dataSource.initialize();
          const applied = migrationsRun ? await dataSource.runMigrations({ transaction: 'each' }) : undefined;
          const engine = describeEngine(url, embeddedFolder(dataDir));
          startups.set(
            dataSource,
            new DatabaseStartup(
              engine,
              applied?.map((migration) => migration.name),
            ),
          );
          return dataSource;
        } catch (error) {
          await dataSource.destroy().catch(() => undefined); // stops the embedded engine, if any
          throw error;
        }
      },
    }),
  ],
  providers: [
    {
      provide: DatabaseStartup,
      inject: [getDataSourceToken()],
      useFactory: (dataSource: DataSource) => startups.get(dataSource),
    },
  ],
  exports: [DatabaseStartup],
})
export class DatabaseModule {}
