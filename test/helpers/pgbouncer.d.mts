export interface PgBouncer {
  port: number;
  /** The same database URL, through PgBouncer. */
  rewrite(databaseUrl: string): string;
  stop(): Promise<void>;
}

export function startPgBouncer(serverUrl: string, poolMode?: 'transaction' | 'session'): Promise<PgBouncer>;
