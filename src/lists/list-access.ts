import { Injectable, NotFoundException } from '@nestjs/common';
import { InsufficientRoleException } from '../common/problems/insufficient-role.exception.js';
import { SqlRunner } from '../database/sql-runner.js';
import { atLeast, type ListRole } from './list-role.js';

/** The caller's memberships: list id → role. */
export type Memberships = ReadonlyMap<string, ListRole>;

/**
 * Who may do what in which list: what every module that works inside lists
 * (tasks, later changes and webhooks) asks before it acts. The statements of
 * those modules filter on membership again (isolation twice).
 */
@Injectable()
export class ListAccess {
  constructor(private readonly sql: SqlRunner) {}

  /** Every list the user belongs to, with their role. */
  async memberships(userId: string): Promise<Memberships> {
    const rows = await this.sql.query<{ listId: string; role: ListRole }>(
      `SELECT list_id AS "listId", role FROM list_members WHERE user_id = $1`,
      [userId],
    );
    return new Map(rows.map((row) => [row.listId, row.role]));
  }

  /** The user's default list (their Inbox). */
  async defaultListOf(userId: string): Promise<string> {
    const rows = await this.sql.query<{ id: string }>(`SELECT id FROM lists WHERE owner_id = $1 AND is_default`, [
      userId,
    ]);
    if (rows.length === 0) throw new NotFoundException('List not found');
    return rows[0].id;
  }

  /** The caller's role in the list: 404 when they are not a member, 403 `insufficient-role` when it is below `required`. */
  async require(userId: string, listId: string, required: ListRole): Promise<ListRole> {
    const role = (await this.memberships(userId)).get(listId);
    if (role === undefined) throw new NotFoundException('List not found');
    if (!atLeast(role, required)) throw new InsufficientRoleException(required);
    return role;
  }
}
