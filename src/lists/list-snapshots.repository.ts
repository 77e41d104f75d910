import { Injectable } from '@nestjs/common';
import { ListSnapshots } from '../changes/change-snapshots.js';
import { SqlRunner } from '../database/sql-runner.js';

/** A list and its members as the change feed's first read of the list sends them (`ListSnapshots`). */
@Injectable()
export class ListSnapshotsRepository extends ListSnapshots {
  constructor(private readonly sql: SqlRunner) {
    super();
  }

  async list(listId: string): Promise<(Record<string, unknown> & { version: number }) | undefined> {
    const rows = await this.sql.query<Record<string, unknown> & { version: number }>(
      `SELECT l.id, l.name, l.color, l.is_default AS "isDefault", l.owner_id AS "ownerId",
              (SELECT count(*)::int FROM list_members c WHERE c.list_id = l.id) AS "memberCount",
              l.version, l.created_at AS "createdAt", l.updated_at AS "updatedAt"
         FROM lists l WHERE l.id = $1`,
      [listId],
    );
    return rows[0];
  }

  async members(
    listId: string,
    afterUserId: string,
    limit: number,
  ): Promise<{ member: Record<string, unknown> & { userId: string }; listVersion: number }[]> {
    const rows = await this.sql.query<{ userId: string; listVersion: number } & Record<string, unknown>>(
      `SELECT m.user_id AS "userId", u.email, u.name, m.role, m.joined_at AS "joinedAt", l.version AS "listVersion"
         FROM list_members m JOIN users u ON u.id = m.user_id JOIN lists l ON l.id = m.list_id
        WHERE m.list_id = $1 AND m.user_id > $2
        ORDER BY m.user_id
        LIMIT $3`,
      [listId, afterUserId, limit],
    );
    return rows.map(({ listVersion, ...member }) => ({
      member: member,
      listVersion,
    }));
  }
}
