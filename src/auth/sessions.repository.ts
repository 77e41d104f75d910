import { Injectable } from '@nestjs/common';
import { SqlRunner, type SqlSession } from '../database/sql-runner.js';

/** A refresh token as it is stored: its hash, and its end given its session's absolute end (the service's rule). */
export interface StoredRefreshToken {
  tokenHash: string;
  expiresAt: (sessionExpiresAt: Date) => Date;
}

interface SpentRow {
  session_id: string;
  session_expires_at: string;
  alive: boolean;
}

/**
 * Every statement on `sessions` and `refresh_tokens`; SessionsService keeps
 * the rules (rotation, reuse detection, lifetimes). Each statement names the
 * user (one shard on Citus), except the look-up of a token of the earlier shape.
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly sql: SqlRunner) {}

  /**
   * A new session and its first refresh token, in one transaction that first checks `holds` (inside it, so
   * the lock it takes holds until the session exists). Returns the session's id; null when `holds` said no.
   * Run again if the database aborts it as a deadlock victim.
   */
  start(
    userId: string,
    expiresAt: Date,
    token: StoredRefreshToken,
    holds: (tx: SqlSession) => Promise<boolean>,
  ): Promise<string | null> {
    return this.sql.transaction(
      async (tx) => {
        if (!(await holds(tx))) return null;
        const [session] = await tx.query<{ id: string }>(
          `INSERT INTO sessions (user_id, expires_at) VALUES ($1, $2) RETURNING id`,
          [userId, expiresAt],
        );
        await this.insertRefreshToken(tx, session.id, userId, token, expiresAt);
        return session.id;
      },
      { retry: true },
    );
  }

  /**
   * Spends the user's refresh token and stores the session's next one, in one
   * transaction. The spend is a single conditional UPDATE, so of two
   * concurrent spends of one token exactly one finds it unspent. Returns the
   * session's id; null when the token was not live (unknown, spent, expired,
   * or its session ended).
   */
  rotate(userId: string, tokenHash: string, next: StoredRefreshToken): Promise<string | null> {
    return this.sql.transaction(async (tx) => {
      const rows = await tx.query<SpentRow>(
        `WITH spent AS (
           UPDATE refresh_tokens SET spent_at = now()
            WHERE user_id = $2 AND token_hash = $1 AND spent_at IS NULL
           RETURNING session_id, user_id, expires_at
         )
         SELECT spent.session_id, spent.user_id, s.expires_at AS session_expires_at,
                (spent.expires_at > now() AND s.revoked_at IS NULL AND s.expires_at > now()) AS alive
           FROM spent JOIN sessions s ON s.user_id = $2 AND s.id = spent.session_id`,
        [tokenHash, userId],
      );
      const spent = rows[0];
      if (!spent?.alive) return null;
      await this.insertRefreshToken(tx, spent.session_id, userId, next, new Date(spent.session_expires_at));
      return spent.session_id;
    });
  }

  /** The user of a token found by its hash alone (`refresh_tokens_token_hash_idx`). */
  async ownerOfHash(tokenHash: string): Promise<string | undefined> {
    const rows = await this.sql.query<{ user_id: string }>(`SELECT user_id FROM refresh_tokens WHERE token_hash = $1`, [
      tokenHash,
    ]);
    return rows[0]?.user_id;
  }

  /** Revokes the live session the token belongs to. Returns the ids of the sessions revoked. */
  revokeByToken(userId: string, tokenHash: string): Promise<string[]> {
    return this.revokeWhere(
      'revoked_at IS NULL AND id = (SELECT session_id FROM refresh_tokens WHERE user_id = $2 AND token_hash = $1)',
      tokenHash,
      userId,
    );
  }

  /** Revokes the live session of a token that was already spent. Returns the ids of the sessions revoked. */
  revokeBySpentToken(userId: string, tokenHash: string): Promise<string[]> {
    return this.revokeWhere(
      `revoked_at IS NULL
       AND id = (SELECT session_id FROM refresh_tokens WHERE user_id = $2 AND token_hash = $1 AND spent_at IS NOT NULL)`,
      tokenHash,
      userId,
    );
  }

  /** Revokes every live session of the user, in one transaction after `first` (waits for logins in flight). */
  async revokeAllOf(userId: string, first: (tx: SqlSession) => Promise<void>): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await first(tx);
      await tx.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    });
  }

  /** A primary-key look-up; `expires_at` is the absolute lifetime (the idle one is the refresh token's). */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  private async revokeWhere(condition: string, tokenHash: string, userId: string): Promise<string[]> {
    const rows = await this.sql.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = now() WHERE user_id = $2 AND ${condition} RETURNING id`,
      [tokenHash, userId],
    );
    return rows.map(({ id }) => id);
  }

  private async insertRefreshToken(
    tx: SqlSession,
    sessionId: string,
    userId: string,
    token: StoredRefreshToken,
    sessionExpiresAt: Date,
  ): Promise<void> {
    await tx.query(`INSERT INTO refresh_tokens (session_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [
      sessionId,
      userId,
      token.tokenHash,
      token.expiresAt(sessionExpiresAt),
    ]);
  }
}
