import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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

/** Every statement on `user_identities`; IdentitiesService keeps the rules. */
@Injectable()
export class IdentitiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(issuer: string, subject: string): Promise<LinkedIdentity | null> {
    const rows: { id: string; user_id: string }[] = await this.dataSource.query(
      `SELECT id, user_id FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows.length === 0 ? null : { identityId: rows[0].id, userId: rows[0].user_id };
  }

  /** A user without password and its identity, in one transaction. */
  provision(identity: VerifiedIdentity): Promise<LinkedIdentity> {
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

  async insert(userId: string, issuer: string, subject: string): Promise<Date> {
    const [inserted] = await this.dataSource.query<{ created_at: Date }[]>(
      `INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3) RETURNING created_at`,
      [userId, issuer, subject],
    );
    return inserted.created_at;
  }

  async findLink(issuer: string, subject: string): Promise<{ userId: string; linkedAt: Date } | null> {
    const rows: { user_id: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT user_id, created_at FROM user_identities WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return rows.length === 0 ? null : { userId: rows[0].user_id, linkedAt: rows[0].created_at };
  }

  async isLinked(identityId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM user_identities WHERE id = $1 AND user_id = $2`,
      [identityId, userId],
    );
    return rows.length > 0;
  }

  async listOf(userId: string): Promise<IdentityRecord[]> {
    const rows: { issuer: string; subject: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT issuer, subject, created_at FROM user_identities WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return rows.map((row) => ({ issuer: row.issuer, subject: row.subject, linkedAt: row.created_at }));
  }
}
