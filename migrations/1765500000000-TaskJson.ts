import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `task_json`: a task as the API shows it, field for field (names, order, timestamps as text). A page
 * of tasks is written by PostgreSQL as `row_to_json(ROW(…)::task_json)`, one compact JSON text per
 * row, which the service passes through without parsing it (`task-columns.ts`, `TASK_JSON`). On
 * Citus the type is created on every node, so the expression runs on the shards too.
 */
export class TaskJson1765500000000 implements MigrationInterface {
  name = 'TaskJson1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TYPE task_json AS (
        "id" uuid, "userId" uuid, "listId" uuid, "assigneeId" uuid, "createdBy" uuid, "updatedBy" uuid,
        "completedBy" uuid, "title" text, "description" text, "completed" boolean, "completedAt" text,
        "priority" text, "dueAt" text, "tags" text[], "version" integer, "createdAt" text, "updatedAt" text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TYPE task_json`);
  }
}
