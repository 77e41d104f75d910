import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { databaseConfig } from '../config/database.config.js';
import { createDataSource } from './create-data-source.js';
import { dataSourceOptions } from './data-source-options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: ConfigType<typeof databaseConfig>) => ({
        ...dataSourceOptions({ ...config, url: config.url ?? '' }),
        autoLoadEntities: true,
        // Fail at boot instead of retrying for minutes: the supervisor restarts us.
        retryAttempts: 0,
      }),
      dataSourceFactory: async (options) => {
        const { url, dataDir } = databaseConfig();
        const dataSource = await createDataSource(options as DataSourceOptions, url, dataDir);
        try {
          return await dataSource.initialize();
        } catch (error) {
          await dataSource.destroy().catch(() => undefined); // stops the embedded engine, if any
          throw error;
        }
      },
    }),
  ],
})
export class DatabaseModule {}
