import 'reflect-metadata';
import { databaseConfig } from '../config/database.config.js';
import { createDataSource } from './create-data-source.js';
import { dataSourceOptions } from './data-source-options.js';

// The TypeORM CLI loads this file on its own, with no Nest container to inject the namespace from:
// the one place outside src/config that calls a namespace factory.
const config = databaseConfig();

/**
 * Entry point of the TypeORM CLI (`npm run migration:*`): the same database
 * the service would use — DATABASE_URL, or the embedded engine in DATA_DIR.
 */
export default createDataSource(
  {
    ...dataSourceOptions({ ...config, poolSize: 1, migrationsRun: false, statementTimeoutMs: 0 }),
    entities: [`${import.meta.dirname}/../**/*.entity.{js,ts}`],
  },
  config.url,
  config.dataDir,
);
