import { createHash } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/auth.config.js';
import { SqlRunner, type SqlSession } from '../database/sql-runner.js';
import { hasEarlierShape, newRefreshToken, userIdOf } from './refresh-token-format.js';
import { Revocations } from './shared-state/revocations.js';

export interface StartedSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
}

interface SpentRow {
  session_id: string;
  user_id: string;
  session_expires_at: string;
  alive: boolean;
}

/** A login whose password was changed, or whose account was deleted, while it was being checked. */
const CREDENTIALS_CHANGED = 'Invalid email or password';

/** One answer for every refresh that fails, whatever the reason. */
const REFRESH_REFUSED = 'The refresh token is invalid, expired or already used';

/**
 * Logins (sessions) and the refresh tokens that keep them alive. A refresh
 * token is spent once; the next one of its session replaces it (rotation).
 * Presenting a spent token again means it was copied: the whole session is
 * revoked (reuse detection, RFC 9700 §4.14.2, ASVS 10.4.5).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sql: SqlRunner,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly revocations: Revocations,
  ) {}

  /**
   * One login: a new session and its first refresh token, in one transaction.
   * `passwordHash` is the credential the caller was checked against: the user
   * row is locked (FOR SHARE) and must still hold it, so a login that raced a
   * password change or the account's deletion fails instead of leaving a
   * session behind (or a foreign-key error); a change that comes after waits
   * for this transaction and then revokes the new session with the others.
   */
  async start(userId: string, passwordHash: string | null): Promise<StartedSession> {
    const now = Date.now();
    const expiresAt = new Date(now + this.config.sessionAbsoluteTtlSeconds * 1000);
    return this.sql.transaction(async (tx) => {
      const [current] = await tx.query<{ password_hash: string | null }>(
        `SELECT password_hash FROM users WHERE id = $1 FOR SHARE`,
        [userId],
      );
      if (current?.password_hash !== passwordHash) throw new UnauthorizedException(CREDENTIALS_CHANGED);
      const [session] = await tx.query<{ id: string }>(
        `INSERT INTO sessions (user_id, expires_at) VALUES ($1, $2) RETURNING id`,
        [userId, expiresAt],
      );
      const refreshToken = await this.issueRefreshToken(tx, session.id, userId, expiresAt);
      return { userId, sessionId: session.id, refreshToken };
    });
  }

  /**
   * Spends a refresh token and returns the session's next one. The spend is a
   * single conditional UPDATE, so of two concurrent refreshes of one token
   * exactly one finds it unspent; the other sees a spent token (a replay).
   */
  async rotate(refreshToken: string): Promise<StartedSession> {
    const tokenHash = hashToken(refreshToken);
    const userId = await this.ownerOf(refreshToken, tokenHash);
    if (userId === undefined) throw new UnauthorizedException(REFRESH_REFUSED);
    const rotated = await this.sql.transaction(async (tx) => {
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
      const next = await this.issueRefreshToken(
        tx,
        spent.session_id,
        spent.user_id,
        new Date(spent.session_expires_at),
      );
      return { userId: spent.user_id, sessionId: spent.session_id, refreshToken: next };
    });
    if (rotated) return rotated;
    await this.revokeIfReplayed(tokenHash, userId);
    throw new UnauthorizedException(REFRESH_REFUSED);
  }

  /** Logout: ends the session the refresh token belongs to. Unknown or already revoked: nothing to do. */
  async revokeByRefreshToken(refreshToken: string): Promise<void> {
    const tokenHash = hashToken(refreshToken);
    const userId = await this.ownerOf(refreshToken, tokenHash);
    if (userId === undefined) return;
    await this.revokeSessions(
      'revoked_at IS NULL AND id = (SELECT session_id FROM refresh_tokens WHERE user_id = $2 AND token_hash = $1)',
      tokenHash,
      userId,
    );
  }

  /** Ends every session of a user (password change): all devices log in again. */
  async revokeAllOf(userId: string): Promise<void> {
    await this.sql.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
    await this.revocations.publish({ userIds: [userId] });
  }

  /**
   * The user a refresh token belongs to, so that every statement on it names
   * the owner (one shard on Citus). A token from before tokens named their
   * user is looked up by its hash alone (`refresh_tokens_token_hash_idx`),
   * once: its replacement names the user. Any other string is no token of ours.
   */
  private async ownerOf(refreshToken: string, tokenHash: string): Promise<string | undefined> {
    const named = userIdOf(refreshToken);
    if (named !== undefined) return named;
    if (!hasEarlierShape(refreshToken)) return undefined;
    const rows = await this.sql.query<{ user_id: string }>(`SELECT user_id FROM refresh_tokens WHERE token_hash = $1`, [
      tokenHash,
    ]);
    return rows[0]?.user_id;
  }

  /** A spent token presented again: revoke its session (every token descended from that login). */
  private async revokeIfReplayed(tokenHash: string, userId: string): Promise<void> {
    await this.revokeSessions(
      `revoked_at IS NULL
       AND id = (SELECT session_id FROM refresh_tokens WHERE user_id = $2 AND token_hash = $1 AND spent_at IS NOT NULL)`,
      tokenHash,
      userId,
    );
  }

  /** Revokes the user's sessions `condition` matches, and tells every instance to forget them. */
  private async revokeSessions(condition: string, tokenHash: string, userId: string): Promise<void> {
    const rows = await this.sql.query<{ id: string }>(
      `UPDATE sessions SET revoked_at = now() WHERE user_id = $2 AND ${condition} RETURNING id`,
      [tokenHash, userId],
    );
    if (rows.length > 0) await this.revocations.publish({ sessionIds: rows.map(({ id }) => id) });
  }

  /** The idle lifetime restarts with each token, but never past the session's absolute end. */
  private async issueRefreshToken(
    tx: SqlSession,
    sessionId: string,
    userId: string,
    sessionExpiresAt: Date,
  ): Promise<string> {
    const refreshToken = newRefreshToken(userId);
    const idleEnd = Date.now() + this.config.sessionIdleTtlSeconds * 1000;
    await tx.query(`INSERT INTO refresh_tokens (session_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [
      sessionId,
      userId,
      hashToken(refreshToken),
      new Date(Math.min(idleEnd, sessionExpiresAt.getTime())),
    ]);
    return refreshToken;
  }
}

/** Refresh tokens are high-entropy, so a fast hash suffices (no salt or KDF needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
