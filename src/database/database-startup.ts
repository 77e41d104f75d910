/** What the database module found and did at boot, for the start-up summary. */
export class DatabaseStartup {
  constructor(
    /** `PostgreSQL at host:port/name` (never the credentials), or the embedded engine and its folder. */
    readonly engine: string,
    /** The migrations this start applied, oldest first; undefined when DB_MIGRATIONS_RUN=false. */
    readonly migrationsApplied: string[] | undefined,
  ) {}
}

export function describeEngine(url: string | undefined, embeddedFolder: string): string {
  if (!url) return `embedded PostgreSQL (PGlite) in ${embeddedFolder}`;
  const { hostname, port, pathname } = new URL(url);
  return `PostgreSQL at ${hostname}:${port || '5432'}${pathname}`;
}
