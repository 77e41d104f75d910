import { Injectable } from '@nestjs/common';
import { SqlRunner, type SqlSession } from '../database/sql-runner.js';

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
  /** ISO 8601, as the API writes it. */
  linkedAt: string;
}

/**
 * Every statement on `user_identities` (through `SqlRunner`); IdentitiesService
 * keeps the rules. On Citus `users` and `user_identities` are reference
 * tables: writes that lost a race there (a deadlock) run again.
 */
@Injectable()
export class IdentitiesRepository {
  constructor(private readonly sql: SqlRunner) {}

  async find(issuer: string, subject: string): Promise<LinkedIdentity | null> {
    const rows = await this.sql.query<LinkedIdentity>(
      `SELECT id AS "identityId", user_id AS "userId" FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows[0] ?? null;
  }

  /** A user without password and its identity, in one transaction, run again when it lost a race. */
  provision(
    identity: VerifiedIdentity,
    then: (tx: SqlSession, userId: string) => Promise<void>,
  ): Promise<LinkedIdentity> {
    return this.sql.transaction(
      async (tx) => {
        const [user] = await tx.query<{ id: string }>(`INSERT INTO users (email, name) VALUES ($1, $2) RETURNING id`, [
          identity.email,
          identity.name,
        ]);
        const [linked] = await tx.query<{ id: string }>(
          `INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3) RETURNING id`,
          [user.id, identity.issuer, identity.subject],
        );
        await then(tx, user.id);
        return { identityId: linked.id, userId: user.id };
      },
      { retry: true },
    );
  }

  /** Links the identity; returns when. */
  async insert(userId: string, issuer: string, subject: string): Promise<string> {
    const [inserted] = await this.sql.write<{ createdAt: string }>(
      `INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3) RETURNING created_at AS "createdAt"`,
      [userId, issuer, subject],
    );
    return inserted.createdAt;
  }

  async findLink(issuer: string, subject: string): Promise<{ userId: string; linkedAt: string } | null> {
    const rows = await this.sql.query<{ userId: string; linkedAt: string }>(
      `SELECT user_id AS "userId", created_at AS "linkedAt" FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows[0] ?? null;
  }

  /** The session check of an identity provider's token: a primary-key look-up. */
  async isLinked(identityId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(`SELECT 1 FROM user_identities WHERE id = $1 AND user_id = $2`, [
      identityId,
      userId,
    ]);
    return rows.length > 0;
  }

  listOf(userId: string): Promise<IdentityRecord[]> {
    return this.sql.query<IdentityRecord>(
      `SELECT issuer, subject, created_at AS "linkedAt" FROM user_identities WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
  }
}
