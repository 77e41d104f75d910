import 'reflect-metadata';
import { createDataSource } from './create-data-source.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * Entry point of the TypeORM CLI (`npm run migration:*`): the same database
 * the service would use — DATABASE_URL, or the embedded engine in DATA_DIR.
 */
export default createDataSource(
  {
    ...dataSourceOptions({
      url: process.env.DATABASE_URL ?? '',
      poolSize: 1,
      migrationsRun: false,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 0,
    }),
    entities: [`${import.meta.dirname}/../**/*.entity.{js,ts}`],
  },
  process.env.DATABASE_URL || undefined,
  process.env.DATA_DIR ?? './data',
);
