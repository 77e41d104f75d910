import type { INestApplication } from '@nestjs/common';
import type { App } from 'supertest/types.js';
import { ChangeLog } from '../../src/changes/change-log.js';
import { type SqlSession, SqlRunner } from '../../src/database/sql-runner.js';

/**
 * A small real write path for the change-feed tests: lists, members and tasks
 * written with SQL in transactions of the application's own runner, each
 * recording its change through the application's `ChangeLog`, as the tasks
 * and lists modules do.
 */
export class ChangeWrites {
  private readonly sql: SqlRunner;
  private readonly log: ChangeLog;

  constructor(app: INestApplication<App>) {
    this.sql = app.get(SqlRunner);
    this.log = app.get(ChangeLog);
  }

  async createList(ownerId: string, name = 'Shared'): Promise<string> {
    return this.sql.transaction(async (tx) => {
      const [list] = await tx.query<{ id: string }>(`INSERT INTO lists (owner_id, name) VALUES ($1, $2) RETURNING id`, [
        ownerId,
        name,
      ]);
      await tx.query(`INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, 'owner')`, [list.id, ownerId]);
      await tx.query(`INSERT INTO list_counters (list_id) VALUES ($1)`, [list.id]);
      return list.id;
    });
  }

  async addMember(listId: string, userId: string, role = 'editor'): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, $3)`, [listId, userId, role]);
      const [list] = await tx.query<{ version: number }>(
        `UPDATE lists SET version = version + 1 WHERE id = $1 RETURNING version`,
        [listId],
      );
      await this.log.record(tx, {
        listId,
        entity: 'member',
        op: 'upsert',
        id: userId,
        version: list.version,
        type: 'member.added',
        data: { userId, role },
        actorId: null,
      });
    });
  }

  async removeMember(listId: string, userId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(`DELETE FROM list_members WHERE list_id = $1 AND user_id = $2`, [listId, userId]);
      const [list] = await tx.query<{ version: number }>(
        `UPDATE lists SET version = version + 1 WHERE id = $1 RETURNING version`,
        [listId],
      );
      await this.log.record(tx, {
        listId,
        entity: 'member',
        op: 'delete',
        id: userId,
        version: list.version,
        type: 'member.removed',
        actorId: null,
      });
    });
  }

  /**
   * Creates a task and records it; `beforeRecord` runs between the insert and the record (the
   * transaction has started, its number is not taken yet), `beforeCommit` last inside the transaction.
   */
  createTask(
    listId: string,
    userId: string,
    title: string,
    beforeCommit?: (tx: SqlSession) => Promise<void>,
    beforeRecord?: () => Promise<void>,
  ): Promise<Record<string, unknown> & { id: string; version: number }> {
    return this.sql.transaction(async (tx) => {
      const [task] = await tx.query<Record<string, unknown> & { id: string; version: number }>(
        `INSERT INTO tasks (list_id, user_id, created_by, updated_by, title) VALUES ($1, $2, $2, $2, $3)
         RETURNING id, list_id AS "listId", user_id AS "userId", title, version`,
        [listId, userId, title],
      );
      if (beforeRecord) await beforeRecord();
      await this.log.record(tx, {
        listId,
        entity: 'task',
        op: 'upsert',
        id: task.id,
        version: task.version,
        type: 'task.created',
        data: task,
        actorId: userId,
      });
      if (beforeCommit) await beforeCommit(tx);
      return task;
    });
  }

  /** Creates `count` tasks in one transaction: one commit, `count` changes. */
  async createTasks(listId: string, userId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    await this.createTask(listId, userId, 'first of a batch', async (tx) => {
      for (let i = 1; i < count; i++) {
        const [task] = await tx.query<{ id: string; version: number }>(
          `INSERT INTO tasks (list_id, user_id, created_by, title) VALUES ($1, $2, $2, $3) RETURNING id, version`,
          [listId, userId, `batch ${i}`],
        );
        await this.log.record(tx, {
          listId,
          entity: 'task',
          op: 'upsert',
          id: task.id,
          version: task.version,
          type: 'task.created',
          data: task,
          actorId: userId,
        });
        ids.push(task.id);
      }
    }).then((first) => ids.unshift(first.id));
    return ids;
  }

  async deleteTask(listId: string, taskId: string, userId: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const [task] = await tx.query<{ version: number }>(
        `DELETE FROM tasks WHERE list_id = $1 AND id = $2 RETURNING version`,
        [listId, taskId],
      );
      await this.log.record(tx, {
        listId,
        entity: 'task',
        op: 'delete',
        id: taskId,
        version: task.version,
        type: 'task.deleted',
        actorId: userId,
      });
    });
  }
}

/** A promise with its resolve function, to hold a transaction open until a test releases it. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
