import { Injectable } from '@nestjs/common';
import { SqlRunner, type SqlSession } from '../database/sql-runner.js';
import type { InvitationRole, ListRole } from './list-role.js';

/** A list as a member sees it: with the caller's role and the member count. */
export interface ListRow {
  id: string;
  name: string;
  color: string | null;
  isDefault: boolean;
  ownerId: string;
  role: ListRole;
  memberCount: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A list locked for a change, and the caller's role in it (null: not a member). */
export interface LockedList {
  id: string;
  ownerId: string;
  isDefault: boolean;
  version: number;
  role: ListRole | null;
}

export interface MemberRow {
  userId: string;
  email: string | null;
  name: string | null;
  role: ListRole;
  joinedAt: string;
}

export interface InvitationRow {
  id: string;
  role: InvitationRole;
  expiresAt: string;
  maxUses: number;
  uses: number;
  createdBy: string;
  createdAt: string;
}

/** An invitation found by its token, locked, with what decides whether it can still be used. */
export interface LockedInvitation {
  id: string;
  listId: string;
  role: InvitationRole;
  usable: boolean;
}

const LIST_COLUMNS = `l.id, l.name, l.color, l.is_default AS "isDefault", l.owner_id AS "ownerId", m.role,
  (SELECT count(*)::int FROM list_members c WHERE c.list_id = l.id) AS "memberCount",
  l.version, l.created_at AS "createdAt", l.updated_at AS "updatedAt"`;

const INVITATION_COLUMNS = `id, role, expires_at AS "expiresAt", max_uses AS "maxUses", uses,
  created_by AS "createdBy", created_at AS "createdAt"`;

/** The caller (parameter `caller`) is a member of `m.list_id` with one of `roles`. */
const CALLER_IS = (caller: string, roles: string) =>
  `EXISTS (SELECT 1 FROM list_members c WHERE c.list_id = m.list_id AND c.user_id = ${caller} AND c.role IN (${roles}))`;
const ADMINS = "'owner', 'admin'";

/** An invitation that can still be accepted. */
const ACTIVE = `revoked_at IS NULL AND expires_at > now() AND uses < max_uses`;

/**
 * Every SQL statement of the lists module. Reads join the caller's membership, so a list they do not
 * belong to is simply absent; changes run in a transaction that starts with `lockForMember`, which
 * takes the list's row lock and reads the caller's role in one statement: concurrent changes to one
 * list (roles, members, ownership, the quotas) are serialized, and a role is checked as it is when
 * the change commits.
 */
@Injectable()
export class ListsRepository {
  constructor(private readonly sql: SqlRunner) {}

  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.sql.transaction(work);
  }

  /** The caller's lists after `after` (oldest first, ties on id), each with the total. */
  page(
    userId: string,
    fetch: number,
    after?: { createdAt: string; id: string },
  ): Promise<(ListRow & { total: number })[]> {
    return this.sql.query(
      `SELECT ${LIST_COLUMNS}, (SELECT count(*)::int FROM list_members t WHERE t.user_id = $1) AS total
         FROM list_members m JOIN lists l ON l.id = m.list_id
        WHERE m.user_id = $1 AND ($2::timestamptz IS NULL OR (l.created_at, l.id) > ($2::timestamptz, $3::uuid))
        ORDER BY l.created_at, l.id
        LIMIT $4`,
      [userId, after?.createdAt ?? null, after?.id ?? null, fetch],
    );
  }

  async countMemberships(userId: string): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM list_members WHERE user_id = $1`,
      [userId],
    );
    return row.n;
  }

  async findForMember(session: SqlSession, listId: string, userId: string): Promise<ListRow | undefined> {
    const rows = await session.query<ListRow>(
      `SELECT ${LIST_COLUMNS} FROM lists l JOIN list_members m ON m.list_id = l.id AND m.user_id = $2 WHERE l.id = $1`,
      [listId, userId],
    );
    return rows[0];
  }

  findMember(listId: string, userId: string): Promise<ListRow | undefined> {
    return this.findForMember(this.sql, listId, userId);
  }

  /** The caller's role in the list (undefined: not a member, or no such list), in one key look-up. */
  async roleOf(listId: string, userId: string, session: SqlSession = this.sql): Promise<ListRole | undefined> {
    const rows = await session.query<{ role: ListRole }>(
      `SELECT role FROM list_members WHERE list_id = $1 AND user_id = $2`,
      [listId, userId],
    );
    return rows[0]?.role;
  }

  async lockForMember(tx: SqlSession, listId: string, userId: string): Promise<LockedList | undefined> {
    const rows = await tx.query<LockedList>(
      `SELECT l.id, l.owner_id AS "ownerId", l.is_default AS "isDefault", l.version, m.role
         FROM lists l LEFT JOIN list_members m ON m.list_id = l.id AND m.user_id = $2
        WHERE l.id = $1
          FOR UPDATE OF l`,
      [listId, userId],
    );
    return rows[0];
  }

  /**
   * Locks the owner's default list: concurrent creations by one owner queue there, so the quota of
   * owned lists is counted with no other creation in flight.
   */
  async lockOwner(tx: SqlSession, ownerId: string): Promise<void> {
    await tx.query(`SELECT id FROM lists WHERE owner_id = $1 AND is_default FOR UPDATE`, [ownerId]);
  }

  async countOwned(tx: SqlSession, ownerId: string): Promise<number> {
    const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM lists WHERE owner_id = $1`, [ownerId]);
    return row.n;
  }

  /** A list, its owner as its first member, and its task counters (the per-list quota is counted there). */
  async insert(
    tx: SqlSession,
    ownerId: string,
    name: string,
    color: string | null,
    isDefault = false,
  ): Promise<string> {
    const [list] = await tx.query<{ id: string }>(
      `INSERT INTO lists (owner_id, name, color, is_default) VALUES ($1, $2, $3, $4) RETURNING id`,
      [ownerId, name, color, isDefault],
    );
    await tx.query(`INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, 'owner')`, [list.id, ownerId]);
    await tx.query(`INSERT INTO list_counters (list_id) VALUES ($1)`, [list.id]);
    return list.id;
  }

  /** Every list the user belongs to, with their role (one index range: list_members_user_idx). */
  async membershipsOf(userId: string): Promise<Map<string, ListRole>> {
    const rows = await this.sql.query<{ listId: string; role: ListRole }>(
      `SELECT list_id AS "listId", role FROM list_members WHERE user_id = $1`,
      [userId],
    );
    return new Map(rows.map((row) => [row.listId, row.role]));
  }

  async defaultListOf(userId: string): Promise<string | undefined> {
    const rows = await this.sql.query<{ id: string }>(`SELECT id FROM lists WHERE owner_id = $1 AND is_default`, [
      userId,
    ]);
    return rows[0]?.id;
  }

  /** The ids of a list's members (whose remembered memberships a change touches). */
  async memberIds(tx: SqlSession, listId: string): Promise<string[]> {
    const rows = await tx.query<{ userId: string }>(`SELECT user_id AS "userId" FROM list_members WHERE list_id = $1`, [
      listId,
    ]);
    return rows.map((row) => row.userId);
  }

  /** The lists a user owns, locked (in id order, as every hand-off takes them). */
  lockOwned(tx: SqlSession, ownerId: string): Promise<{ id: string; isDefault: boolean }[]> {
    return tx.query(`SELECT id, is_default AS "isDefault" FROM lists WHERE owner_id = $1 ORDER BY id FOR UPDATE`, [
      ownerId,
    ]);
  }

  /** Who takes over a list its owner leaves: the earliest-joined admin, else the earliest-joined editor. */
  async successorOf(tx: SqlSession, listId: string, ownerId: string): Promise<string | undefined> {
    const rows = await tx.query<{ userId: string }>(
      `SELECT user_id AS "userId" FROM list_members
        WHERE list_id = $1 AND user_id <> $2 AND role IN ('admin', 'editor')
        ORDER BY role = 'admin' DESC, joined_at, user_id
        LIMIT 1`,
      [listId, ownerId],
    );
    return rows[0]?.userId;
  }

  /**
   * The user leaves every list they are a member of but do not own: each such list gets a new
   * version (its member count changed). Returns those lists.
   */
  async leaveAll(tx: SqlSession, userId: string): Promise<string[]> {
    const rows = await tx.query<{ listId: string }>(
      `DELETE FROM list_members WHERE user_id = $1 AND role <> 'owner' RETURNING list_id AS "listId"`,
      [userId],
    );
    const listIds = rows.map((row) => row.listId);
    if (listIds.length > 0) {
      await tx.query(
        `UPDATE lists SET version = version + 1, change_seq = change_seq + 1, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [listIds],
      );
    }
    return listIds;
  }

  /**
   * A change members can see: a new `version`, and the next number of the list's change sequence,
   * taken under the list's row lock (the order a change feed will read).
   */
  async bump(tx: SqlSession, listId: string, changes: { name?: string; color?: string | null } = {}): Promise<void> {
    const sets = ['version = version + 1', 'change_seq = change_seq + 1', 'updated_at = now()'];
    const values: unknown[] = [listId];
    if (changes.name !== undefined) {
      values.push(changes.name);
      sets.push(`name = $${values.length}`);
    }
    if (changes.color !== undefined) {
      values.push(changes.color);
      sets.push(`color = $${values.length}`);
    }
    await tx.query(`UPDATE lists SET ${sets.join(', ')} WHERE id = $1`, values);
  }

  async delete(tx: SqlSession, listId: string): Promise<void> {
    await tx.query(`DELETE FROM lists WHERE id = $1`, [listId]);
  }

  /** Members with their email and name, the earliest first. */
  members(listId: string, session: SqlSession = this.sql): Promise<MemberRow[]> {
    return session.query<MemberRow>(
      `SELECT m.user_id AS "userId", u.email, u.name, m.role, m.joined_at AS "joinedAt"
         FROM list_members m JOIN users u ON u.id = m.user_id
        WHERE m.list_id = $1
        ORDER BY m.joined_at, m.user_id`,
      [listId],
    );
  }

  /** The members, for a caller who must still be one (the database's truth behind the cached check). */
  membersFor(listId: string, callerId: string): Promise<MemberRow[]> {
    return this.sql.query<MemberRow>(
      `SELECT m.user_id AS "userId", u.email, u.name, m.role, m.joined_at AS "joinedAt"
         FROM list_members m JOIN users u ON u.id = m.user_id
        WHERE m.list_id = $1 AND ${CALLER_IS('$2', "'owner', 'admin', 'editor', 'viewer'")}
        ORDER BY m.joined_at, m.user_id`,
      [listId, callerId],
    );
  }

  async countMembers(tx: SqlSession, listId: string): Promise<number> {
    const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM list_members WHERE list_id = $1`, [
      listId,
    ]);
    return row.n;
  }

  async addMember(tx: SqlSession, listId: string, userId: string, role: ListRole): Promise<void> {
    await tx.query(`INSERT INTO list_members (list_id, user_id, role) VALUES ($1, $2, $3)`, [listId, userId, role]);
  }

  async setRole(tx: SqlSession, listId: string, userId: string, role: ListRole): Promise<void> {
    await tx.query(`UPDATE list_members SET role = $3 WHERE list_id = $1 AND user_id = $2`, [listId, userId, role]);
  }

  async removeMember(tx: SqlSession, listId: string, userId: string): Promise<void> {
    await tx.query(`DELETE FROM list_members WHERE list_id = $1 AND user_id = $2`, [listId, userId]);
  }

  async setOwner(tx: SqlSession, listId: string, ownerId: string): Promise<void> {
    await tx.query(`UPDATE lists SET owner_id = $2 WHERE id = $1`, [listId, ownerId]);
  }

  /** A member who is no longer admin+ loses the invitations they made that could still be accepted. */
  async revokeInvitationsBy(tx: SqlSession, listId: string, userId: string): Promise<void> {
    await tx.query(
      `UPDATE list_invitations SET revoked_at = now() WHERE list_id = $1 AND created_by = $2 AND revoked_at IS NULL`,
      [listId, userId],
    );
  }

  async countActiveInvitations(tx: SqlSession, listId: string): Promise<number> {
    const [row] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM list_invitations WHERE list_id = $1 AND ${ACTIVE}`,
      [listId],
    );
    return row.n;
  }

  async insertInvitation(
    tx: SqlSession,
    invitation: {
      listId: string;
      tokenHash: string;
      role: InvitationRole;
      hours: number;
      maxUses: number;
      createdBy: string;
    },
  ): Promise<InvitationRow> {
    const [row] = await tx.query<InvitationRow>(
      `INSERT INTO list_invitations (list_id, token_hash, role, expires_at, max_uses, created_by)
       VALUES ($1, $2, $3, now() + make_interval(hours => $4), $5, $6)
       RETURNING ${INVITATION_COLUMNS}`,
      [
        invitation.listId,
        invitation.tokenHash,
        invitation.role,
        invitation.hours,
        invitation.maxUses,
        invitation.createdBy,
      ],
    );
    return row;
  }

  /** The invitations not revoked, newest first (expired and used-up ones included: they show why). */
  invitations(listId: string, callerId: string): Promise<InvitationRow[]> {
    return this.sql.query<InvitationRow>(
      `SELECT ${INVITATION_COLUMNS} FROM list_invitations m
        WHERE list_id = $1 AND revoked_at IS NULL AND ${CALLER_IS('$2', ADMINS)}
        ORDER BY created_at DESC, id`,
      [listId, callerId],
    );
  }

  async invitation(listId: string, id: string, callerId: string): Promise<InvitationRow | undefined> {
    const rows = await this.sql.query<InvitationRow>(
      `SELECT ${INVITATION_COLUMNS} FROM list_invitations m
        WHERE list_id = $1 AND id = $2 AND revoked_at IS NULL AND ${CALLER_IS('$3', ADMINS)}`,
      [listId, id, callerId],
    );
    return rows[0];
  }

  /** True when an invitation was revoked. */
  async revokeInvitation(tx: SqlSession, listId: string, id: string): Promise<boolean> {
    const rows = await tx.query(
      `UPDATE list_invitations SET revoked_at = now() WHERE list_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`,
      [listId, id],
    );
    return rows.length > 0;
  }

  /** The list an invitation token belongs to, without a lock (the list is locked first: see `lockInvitation`). */
  async listOfInvitation(tx: SqlSession, tokenHash: string): Promise<string | undefined> {
    const rows = await tx.query<{ listId: string }>(
      `SELECT list_id AS "listId" FROM list_invitations WHERE token_hash = $1`,
      [tokenHash],
    );
    return rows[0]?.listId;
  }

  /**
   * The invitation with this token hash, locked so that concurrent acceptances count its uses exactly.
   * Taken after the list's lock, in the order every change to a list takes them (list, then its
   * invitations), so an acceptance and a removal of the inviter cannot deadlock.
   */
  async lockInvitation(tx: SqlSession, tokenHash: string): Promise<LockedInvitation | undefined> {
    const rows = await tx.query<LockedInvitation>(
      `SELECT id, list_id AS "listId", role, (${ACTIVE}) AS usable
         FROM list_invitations WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    return rows[0];
  }

  async useInvitation(tx: SqlSession, id: string): Promise<void> {
    await tx.query(`UPDATE list_invitations SET uses = uses + 1 WHERE id = $1`, [id]);
  }
}
