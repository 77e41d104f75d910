import { randomBytes } from 'node:crypto';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user.js';
import { BoundedMap } from '../common/bounded-map.js';
import { hashToken } from './sessions.service.js';
import { RedisConnections } from '../database/shared-state/redis-connections.js';

/** How long a ticket can be redeemed. */
const TICKET_TTL_SECONDS = 60;
/** Tickets kept in this process without Redis: enough for any real burst of stream openings. */
const MAX_LOCAL_TICKETS = 100_000;

interface Held {
  caller: AuthUser;
  expiresAt: number;
}

/**
 * Single-use tickets that stand for the caller's access token on `GET
 * /api/events?ticket=` (a browser's EventSource sends no headers). A ticket
 * is 32 random bytes, stored by its SHA-256 (like refresh tokens), redeemed
 * once (GETDEL) and good for 60 s; with REDIS_URL any instance redeems it,
 * without, the instance that issued it.
 */
@Injectable()
export class EventTickets {
  private readonly local = new BoundedMap<string, Held>(MAX_LOCAL_TICKETS);

  constructor(private readonly redis: RedisConnections) {}

  async issue(caller: AuthUser): Promise<{ ticket: string; expiresAt: string }> {
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = Date.now() + TICKET_TTL_SECONDS * 1000;
    const held: Held = { caller, expiresAt };
    const key = hashToken(ticket);
    if (this.redis.commands) {
      await this.redis.commands
        .set(this.key(key), JSON.stringify(held), 'EX', TICKET_TTL_SECONDS)
        .catch(() => Promise.reject(unavailable()));
    } else {
      this.local.set(key, held);
    }
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The caller a ticket stands for, once; undefined for an unknown, used or expired ticket. */
  async redeem(ticket: string): Promise<AuthUser | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(ticket)) return undefined;
    const key = hashToken(ticket);
    let held: Held | undefined;
    if (this.redis.commands) {
      const text = await this.redis.commands.getdel(this.key(key)).catch(() => Promise.reject(unavailable()));
      held = text === null ? undefined : (JSON.parse(text) as Held);
    } else {
      held = this.local.get(key);
      this.local.delete(key);
    }
    if (held === undefined || held.expiresAt <= Date.now()) return undefined;
    return held.caller;
  }

  private key(hash: string): string {
    return `${this.redis.keyPrefix}event-ticket:${hash}`;
  }
}

/** Redis holds the tickets of every instance: while it is away, none can be issued or redeemed. */
function unavailable(): ServiceUnavailableException {
  return new ServiceUnavailableException('Event tickets are unavailable for a moment; try again');
}
