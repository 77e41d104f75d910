import { createHash } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../config/auth.config.js';
import { hasEarlierShape, newRefreshToken, userIdOf } from './refresh-token-format.js';
import { SessionsRepository, type StoredRefreshToken } from './sessions.repository.js';
import { Revocations } from './shared-state/revocations.js';
import { UsersService } from '../users/users.service.js';

export interface StartedSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
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
    private readonly sessions: SessionsRepository,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly revocations: Revocations,
    private readonly users: UsersService,
  ) {}

  /**
   * One login: a new session and its first refresh token, in one transaction.
   * `passwordHash` is the credential the caller was checked against: under the
   * account's lock (shared), the user must still hold it, so a login that raced
   * a password change or the account's deletion fails instead of leaving a
   * session behind (or a foreign-key error); a change that comes after waits
   * for this transaction and then revokes the new session with the others.
   */
  async start(userId: string, passwordHash: string | null): Promise<StartedSession> {
    const expiresAt = new Date(Date.now() + this.config.sessionAbsoluteTtlSeconds * 1000);
    const refreshToken = newRefreshToken(userId);
    const sessionId = await this.sessions.start(userId, expiresAt, this.stored(refreshToken), (tx) =>
      this.users.holdsPassword(tx, userId, passwordHash),
    );
    if (sessionId === null) throw new UnauthorizedException(CREDENTIALS_CHANGED);
    return { userId, sessionId, refreshToken };
  }

  /**
   * Spends a refresh token and returns the session's next one. Of two
   * concurrent refreshes of one token exactly one finds it unspent; the other
   * sees a spent token (a replay).
   */
  async rotate(refreshToken: string): Promise<StartedSession> {
    const tokenHash = hashToken(refreshToken);
    const userId = await this.ownerOf(refreshToken, tokenHash);
    if (userId === undefined) throw new UnauthorizedException(REFRESH_REFUSED);
    const next = newRefreshToken(userId);
    const sessionId = await this.sessions.rotate(userId, tokenHash, this.stored(next));
    if (sessionId !== null) return { userId, sessionId, refreshToken: next };
    await this.revoked(await this.sessions.revokeBySpentToken(userId, tokenHash));
    throw new UnauthorizedException(REFRESH_REFUSED);
  }

  /** Logout: ends the session the refresh token belongs to. Unknown or already revoked: nothing to do. */
  async revokeByRefreshToken(refreshToken: string): Promise<void> {
    const tokenHash = hashToken(refreshToken);
    const userId = await this.ownerOf(refreshToken, tokenHash);
    if (userId === undefined) return;
    await this.revoked(await this.sessions.revokeByToken(userId, tokenHash));
  }

  /** Ends every session of a user (password change): all devices log in again. */
  async revokeAllOf(userId: string): Promise<void> {
    await this.sessions.revokeAllOf(userId, (tx) => this.users.lockAgainstLogins(tx, userId));
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
    return this.sessions.ownerOfHash(tokenHash);
  }

  /** Tells every instance to forget the sessions just revoked (a spent token presented again, or a logout). */
  private async revoked(sessionIds: string[]): Promise<void> {
    if (sessionIds.length > 0) await this.revocations.publish({ sessionIds });
  }

  /** The idle lifetime restarts with each token, but never past the session's absolute end. */
  private stored(refreshToken: string): StoredRefreshToken {
    return {
      tokenHash: hashToken(refreshToken),
      expiresAt: (sessionExpiresAt) =>
        new Date(Math.min(Date.now() + this.config.sessionIdleTtlSeconds * 1000, sessionExpiresAt.getTime())),
    };
  }
}

/** Refresh tokens are high-entropy, so a fast hash suffices (no salt or KDF needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
