import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BoundedMap } from '../common/bounded-map.js';
import { authConfig } from '../config/auth.config.js';
import { SqlRunner } from '../database/sql-runner.js';

/** Entries kept at most. */
const MAX_ENTRIES = 10_000;

interface Entry {
  userId: string;
  /** Milliseconds since the epoch after which the entry is asked again. */
  staleAt: number;
  /** Shared by concurrent requests of one session: one query, not one per request. */
  active: Promise<boolean>;
}

/**
 * Answers, on every authenticated request, "is this access token's session
 * still alive?": not revoked, not past its absolute lifetime, and its user
 * still exists (deleting a user cascades to the sessions). One primary-key
 * lookup, remembered for SESSION_CACHE_SECONDS (default 5, at most 30):
 * revocations made in this process take effect at once (the entry is
 * forgotten), those made by another instance within that bound.
 */
@Injectable()
export class ActiveSessions {
  private readonly entries = new BoundedMap<string, Entry>(MAX_ENTRIES);
  private readonly ttlMs: number;

  constructor(
    private readonly sql: SqlRunner,
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
  ) {
    this.ttlMs = config.sessionCacheSeconds * 1000;
  }

  isActive(sessionId: string, userId: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.entries.get(sessionId);
    if (cached && cached.staleAt > now) return cached.userId === userId ? cached.active : Promise.resolve(false);

    const active = this.load(sessionId, userId);
    if (this.ttlMs > 0) this.remember(sessionId, { userId, staleAt: now + this.ttlMs, active });
    // A failed lookup (database away) must not be remembered.
    active.catch(() => this.entries.get(sessionId)?.active === active && this.entries.delete(sessionId));
    return active;
  }

  /** Forgets one session (logout, reuse detection), so this process sees the change at once. */
  forget(sessionId: string): void {
    this.entries.delete(sessionId);
  }

  /** Forgets every session of a user (password change, account deletion). */
  forgetUser(userId: string): void {
    for (const [sessionId, entry] of this.entries) {
      if (entry.userId === userId) this.entries.delete(sessionId);
    }
  }

  /** The primary-key lookup; `expires_at` is the absolute lifetime (the idle one is the refresh token's). */
  protected async load(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.sql.query(
      `SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()`,
      [sessionId, userId],
    );
    return rows.length > 0;
  }

  private remember(sessionId: string, entry: Entry): void {
    this.entries.delete(sessionId); // a renewed entry goes to the back of the eviction order
    this.entries.set(sessionId, entry);
  }
}
