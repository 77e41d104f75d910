import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../common/problems/sql-state.js';
import { retryTransient } from '../database/retry-transient.js';

/** Who an external token says the caller is, once verified. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** Only when the issuer is trusted for emails and the token says the address is verified. */
  email: string | null;
  name: string | null;
}

/** The local user an identity signs in, and the link row (its id is what the session check looks up). */
export interface LinkedIdentity {
  identityId: string;
  userId: string;
}

export interface IdentityRecord {
  issuer: string;
  subject: string;
  linkedAt: Date;
}

/** What a first sight whose email is taken gets: how to link, not a merged account. */
export const EMAIL_BELONGS_TO_ANOTHER_ACCOUNT =
  'An account with this email already exists. Sign in to it and link this identity with ' +
  'POST /api/users/me/identities {"token": "<this access token>"}; accounts are never merged by email.';
export const IDENTITY_LINKED_ELSEWHERE = 'This identity is already linked to another account';

/**
 * External identities (docs/IDENTITY-PROVIDERS.md). The users module owns them because a user
 * and its identities are created together, in one transaction, and go
 * together (ON DELETE CASCADE).
 */
@Injectable()
export class IdentitiesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(issuer: string, subject: string): Promise<LinkedIdentity | null> {
    const rows: { id: string; user_id: string }[] = await this.dataSource.query(
      `SELECT id, user_id FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows.length === 0 ? null : { identityId: rows[0].id, userId: rows[0].user_id };
  }

  /**
   * The identity's user, provisioned on first sight: a user without password
   * and its identity, in one transaction. Concurrent first requests create
   * one: the unique `(issuer, subject)` refuses all but one, and those roll
   * back their user and read the winner's link. Plain INSERTs, not `ON
   * CONFLICT`: on Citus both tables are reference tables, where an upsert
   * locks the table (and the `users` it references) exclusively, so two
   * provisions in flight would deadlock; a plain INSERT takes a shared lock.
   * A race that still ends in a deadlock runs again (`retryTransient`).
   * Never links to an existing account by email: that is a 409 saying how.
   */
  async findOrProvision(identity: VerifiedIdentity): Promise<LinkedIdentity> {
    const known = await this.find(identity.issuer, identity.subject);
    if (known) return known;
    try {
      return await retryTransient(() => this.provision(identity));
    } catch (error) {
      const winner = await this.lostRace(error, identity);
      if (winner) return winner;
      if (isUniqueViolation(error)) throw new ConflictException(EMAIL_BELONGS_TO_ANOTHER_ACCOUNT);
      throw error;
    }
  }

  /** Links an identity to an existing user; `409` when another user has it. `created` is false when it was already this user's. */
  async link(userId: string, issuer: string, subject: string): Promise<{ record: IdentityRecord; created: boolean }> {
    try {
      const [inserted] = await retryTransient(() =>
        this.dataSource.query<{ created_at: Date }[]>(
          `INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3) RETURNING created_at`,
          [userId, issuer, subject],
        ),
      );
      return { record: { issuer, subject, linkedAt: inserted.created_at }, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const rows: { user_id: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT user_id, created_at FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    // Gone between the two statements (its user was deleted): the caller may try again.
    if (rows.length === 0 || rows[0].user_id !== userId) throw new ConflictException(IDENTITY_LINKED_ELSEWHERE);
    return { record: { issuer, subject, linkedAt: rows[0].created_at }, created: false };
  }

  async listOf(userId: string): Promise<IdentityRecord[]> {
    const rows: { issuer: string; subject: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT issuer, subject, created_at FROM user_identities WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return rows.map((row) => ({ issuer: row.issuer, subject: row.subject, linkedAt: row.created_at }));
  }

  private provision(identity: VerifiedIdentity): Promise<LinkedIdentity> {
    return this.dataSource.transaction(async (tx) => {
      const [user] = await tx.query<{ id: string }[]>(`INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id`, [
        identity.email,
        identity.name,
      ]);
      const [linked] = await tx.query<{ id: string }[]>(
        `INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3) RETURNING id`,
        [user.id, identity.issuer, identity.subject],
      );
      return { identityId: linked.id, userId: user.id };
    });
  }

  /**
   * A concurrent first request won: either its link made ours violate the
   * `(issuer, subject)` index, or (same trusted email) its user made ours
   * violate the email index while both were in flight. Either way the
   * identity is now linked.
   */
  private async lostRace(error: unknown, identity: VerifiedIdentity): Promise<LinkedIdentity | null> {
    if (!isUniqueViolation(error)) return null;
    return this.find(identity.issuer, identity.subject);
  }
}
