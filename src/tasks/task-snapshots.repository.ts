import { Injectable } from '@nestjs/common';
import { TaskSnapshots } from '../changes/change-snapshots.js';
import { SqlRunner } from '../database/sql-runner.js';

/** A list's tasks as the change feed's first read of the list sends them (`TaskSnapshots`). */
@Injectable()
export class TaskSnapshotsRepository extends TaskSnapshots {
  constructor(private readonly sql: SqlRunner) {
    super();
  }

  tasks(
    listId: string,
    afterId: string,
    limit: number,
  ): Promise<(Record<string, unknown> & { id: string; version: number })[]> {
    return this.sql.query(
      `SELECT id, list_id AS "listId", user_id AS "userId", title, description, completed,
              completed_at AS "completedAt", priority, due_at AS "dueAt", tags, assignee_id AS "assigneeId",
              created_by AS "createdBy", updated_by AS "updatedBy", completed_by AS "completedBy",
              version, created_at AS "createdAt", updated_at AS "updatedAt"
         FROM tasks
        WHERE list_id = $1 AND id > $2
        ORDER BY id
        LIMIT $3`,
      [listId, afterId, limit],
    );
  }
}
