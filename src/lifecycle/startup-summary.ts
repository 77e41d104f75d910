import type { DatabaseStartup } from '../database/database-startup.js';

export interface StartupFacts {
  port: number;
  docsEnabled: boolean;
  database: DatabaseStartup;
  /** `JWT_SECRET`, or the file of the development secret. */
  secretSource: string;
}

/**
 * The one `info` line of a start: where the API and its documentation are,
 * which database and migrations, where the signing secret comes from. Its
 * message starts with `Listening on http://localhost:<port>`, which scripts
 * and tests wait for.
 */
export function startupSummary(facts: StartupFacts): { fields: Record<string, unknown>; message: string } {
  const origin = `http://localhost:${facts.port}`;
  const applied = facts.database.migrationsApplied;
  const migrations =
    applied === undefined
      ? 'not run (DB_MIGRATIONS_RUN=false)'
      : applied.length === 0
        ? 'none pending'
        : `applied ${applied.join(', ')}`;
  const docs = facts.docsEnabled ? `${origin}/docs` : 'off (DOCS_ENABLED=false)';
  return {
    fields: {
      api: `${origin}/api`,
      docs,
      database: facts.database.engine,
      migrations,
      jwtSecret: facts.secretSource,
    },
    message: `Listening on ${origin}: API ${origin}/api, docs ${docs}; ${facts.database.engine}; migrations ${migrations}; JWT secret from ${facts.secretSource}`,
  };
}
