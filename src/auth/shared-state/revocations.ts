import { Injectable } from '@nestjs/common';
import { type BroadcastChannel, Broadcasts } from '../../database/shared-state/broadcasts.js';

/** Sessions that ended: by id (logout, refresh-token reuse) or every session of a user (password change, deletion). */
export interface Revocation {
  sessionIds?: string[];
  userIds?: string[];
}

export interface RevocationListener {
  /** A revocation made here or on another instance. */
  revoked(revocation: Revocation): void;
  /** Revocations may have been missed (the subscription was down): forget everything remembered. */
  resync(): void;
}

/**
 * Tells every instance at once that sessions ended, so each forgets what it
 * remembered about them (the `revocations` channel of `Broadcasts`). The
 * revoking instance applies a revocation to itself synchronously; with
 * REDIS_URL, it also publishes it, and every other instance applies it when
 * the message arrives (pub/sub: a few milliseconds). Without Redis, or while
 * it is away, other instances notice within SESSION_CACHE_SECONDS, as their
 * remembered session checks expire; `mayRemember` tells the session cache
 * whether it can rely on messages.
 */
@Injectable()
export class Revocations {
  private readonly listeners: RevocationListener[] = [];
  private readonly channel: BroadcastChannel<Revocation>;

  constructor(broadcasts: Broadcasts) {
    this.channel = broadcasts.open('revocations', parseRevocation, {
      received: (revocation) => {
        for (const listener of this.listeners) listener.revoked(revocation);
      },
      resync: () => {
        for (const listener of this.listeners) listener.resync();
      },
    });
  }

  /**
   * Whether a remembered session check may be used. Without Redis: yes (one
   * instance, or several with SESSION_CACHE_SECONDS as the documented bound).
   * With Redis: only while its subscriber is connected; meanwhile every
   * request asks the database, so no revocation is missed.
   */
  get mayRemember(): boolean {
    return this.channel.reliable;
  }

  listen(listener: RevocationListener): void {
    this.listeners.push(listener);
  }

  /**
   * Applies a revocation here at once, then tells the other instances. Never
   * throws and never waits longer than REDIS_TIMEOUT_MS: the revocation is
   * already in the database, which every instance asks once its memory expires.
   */
  async publish(revocation: Revocation): Promise<void> {
    await this.channel.publish(revocation);
  }
}

function parseRevocation(value: unknown): Revocation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { sessionIds, userIds } = value as Record<string, unknown>;
  return { sessionIds: stringsOf(sessionIds), userIds: stringsOf(userIds) };
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
