import type { QueryRunner } from 'typeorm';

/**
 * Whether the migrations run on a Citus coordinator, where they distribute the tables they make.
 * Shared by the migrations, so like them it must not change once released: a migration that needs
 * another answer gets its own function. Not a migration itself: src/database/migrations.ts lists
 * those by class, and migrations.spec.ts only counts `<timestamp>-<Name>.ts` files.
 */
export async function isCitusCoordinator(db: QueryRunner): Promise<boolean> {
  const installed = (await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'citus'`)) as unknown[];
  if (installed.length === 0) return false;
  const [row] = (await db.query(`SELECT citus_is_coordinator() AS coordinator`)) as { coordinator: boolean }[];
  return row.coordinator;
}
