import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BoundedMap } from '../common/bounded-map.js';
import { authConfig } from '../config/auth.config.js';
import { SessionsRepository } from './sessions.repository.js';
import { type Revocation, type RevocationListener, Revocations } from './shared-state/revocations.js';

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
 * A check made on every authenticated request (`ActiveSessions`,
 * `ActiveIdentities`): one primary-key lookup, remembered for
 * SESSION_CACHE_SECONDS (default 5, at most 30). Revocations arrive through
 * `Revocations`: those made in this process, and with Redis those of every
 * instance, take effect at once (the entry is forgotten); without Redis
 * another instance's are seen within that bound.
 */
export abstract class CachedCheck implements RevocationListener {
  private readonly entries = new BoundedMap<string, Entry>(MAX_ENTRIES);
  private readonly ttlMs: number;

  constructor(
    config: ConfigType<typeof authConfig>,
    private readonly revocations: Revocations,
  ) {
    this.ttlMs = config.sessionCacheSeconds * 1000;
    revocations.listen(this);
  }

  isActive(sessionId: string, userId: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.entries.get(sessionId);
    if (cached && cached.staleAt > now) return cached.userId === userId ? cached.active : Promise.resolve(false);

    const active = this.load(sessionId, userId);
    if (this.ttlMs > 0 && this.revocations.mayRemember) {
      this.remember(sessionId, { userId, staleAt: now + this.ttlMs, active });
    }
    // A failed lookup (database away) must not be remembered.
    active.catch(() => this.entries.get(sessionId)?.active === active && this.entries.delete(sessionId));
    return active;
  }

  /** Sessions that ended (logout, reuse detection) or every session of a user (password change, deletion). */
  revoked({ sessionIds = [], userIds = [] }: Revocation): void {
    for (const sessionId of sessionIds) this.entries.delete(sessionId);
    if (userIds.length === 0) return;
    const users = new Set(userIds);
    for (const [sessionId, entry] of this.entries) {
      if (users.has(entry.userId)) this.entries.delete(sessionId);
    }
  }

  resync(): void {
    this.entries.clear();
  }

  /** The lookup behind a cache miss. */
  protected abstract load(id: string, userId: string): Promise<boolean>;

  private remember(sessionId: string, entry: Entry): void {
    this.entries.delete(sessionId); // a renewed entry goes to the back of the eviction order
    this.entries.set(sessionId, entry);
  }
}

/**
 * Answers "is this access token's session still alive?": not revoked, not
 * past its absolute lifetime, and its user still exists (deleting a user
 * cascades to the sessions).
 */
@Injectable()
export class ActiveSessions extends CachedCheck {
  constructor(
    private readonly sessions: SessionsRepository,
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    revocations: Revocations,
  ) {
    super(config, revocations);
  }

  protected load(sessionId: string, userId: string): Promise<boolean> {
    return this.sessions.isActive(sessionId, userId);
  }
}
