import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TypeORM reads a generated column's expression from its own `typeorm_metadata`
 * table (PostgreSQL reformats `generation_expression`), so without it the
 * schema builder behind `migration:generate` fails on `tasks.priority_rank`
 * ("relation typeorm_metadata does not exist"). This creates the table as
 * TypeORM would, with the row a generated migration would have written for
 * the column added by TaskListIndexes.
 */
export class GeneratedColumnMetadata1764400000000 implements MigrationInterface {
  name = 'GeneratedColumnMetadata1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS typeorm_metadata (
        "type"     varchar NOT NULL,
        "database" varchar,
        "schema"   varchar,
        "table"    varchar,
        "name"     varchar,
        "value"    text
      )`);
    await db.query(
      `INSERT INTO typeorm_metadata ("type", "database", "schema", "table", "name", "value")
       VALUES ('GENERATED_COLUMN', current_database(), current_schema(), 'tasks', 'priority_rank', $1)`,
      [`CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`],
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `DELETE FROM typeorm_metadata WHERE "type" = 'GENERATED_COLUMN' AND "table" = 'tasks' AND "name" = 'priority_rank'`,
    );
    // Dropped only when nothing else lives there (a later generated migration may have added rows).
    const rest = (await db.query(`SELECT 1 FROM typeorm_metadata LIMIT 1`)) as unknown[];
    if (rest.length === 0) await db.query(`DROP TABLE typeorm_metadata`);
  }
}
