import { DataSource, type DataSourceOptions } from 'typeorm';
import { EmbeddedDataSource } from './embedded-data-source.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

/**
 * A PostgreSQL server when a URL is given; otherwise the embedded engine in
 * `dataDir`, with a pool of one (its connections share a single session).
 */
export async function createDataSource(
  options: DataSourceOptions,
  url: string | undefined,
  dataDir: string,
): Promise<DataSource> {
  if (url) return new DataSource({ ...options, url } as DataSourceOptions);
  const engine = await EmbeddedPostgres.start(dataDir);
  return new EmbeddedDataSource({ ...options, url: engine.url, poolSize: 1 } as DataSourceOptions, engine);
}
