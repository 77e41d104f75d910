import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BoundedMap } from '../common/bounded-map.js';
import { listsConfig } from '../config/lists.config.js';
import { type BroadcastChannel, Broadcasts } from '../database/shared-state/broadcasts.js';
import type { ListRole } from './list-role.js';

/** The caller's memberships: list id → role. */
export type Memberships = ReadonlyMap<string, ListRole>;

/** With Redis, changes arrive as messages: the time bound only guards against a message lost unnoticed. */
const WITH_REDIS_TTL_MS = 60_000;

/** Told of membership changes, so that what holds memberships open (event streams) re-reads them. */
export interface MembershipWatcher {
  /** These users' memberships changed, here or (with Redis) on another instance. */
  changed(userIds: readonly string[]): void;
  /** Changes may have been missed (the Redis subscription was down): everyone's may have changed. */
  resync(): void;
}

interface Entry {
  memberships: Memberships;
  staleAt: number;
}

/**
 * Each user's memberships as this process last read them, so that a request inside a list needs no
 * database round trip to learn the caller's role. Bounded (least recently used first out). Every
 * membership change is announced with `changed` after its transaction commits: this process forgets
 * those users at once, and with REDIS_URL every other instance within milliseconds (the
 * `memberships` channel of `Broadcasts`, as session revocations travel). Without Redis an entry is
 * trusted LISTS_MEMBERSHIP_CACHE_SECONDS; with Redis but its subscription down, nothing is trusted.
 * Task statements filter on membership in SQL as well, so a stale entry can refuse, never widen.
 */
@Injectable()
export class MembershipCache {
  private readonly entries: BoundedMap<string, Entry>;
  private readonly ttlMs: number;
  private readonly channel: BroadcastChannel<string[]>;
  private readonly watchers: MembershipWatcher[] = [];
  /** Rises on every forgetting: a read that started before one does not store what it read. */
  private generation = 0;

  constructor(@Inject(listsConfig.KEY) config: ConfigType<typeof listsConfig>, broadcasts: Broadcasts) {
    this.entries = new BoundedMap(config.membershipCacheSize);
    this.ttlMs = config.membershipCacheSeconds * 1000;
    this.channel = broadcasts.open('memberships', parseUserIds, {
      received: (userIds) => this.forget(userIds),
      resync: () => this.clear(),
    });
  }

  get(userId: string): Memberships | undefined {
    const entry = this.entries.get(userId);
    if (entry === undefined) return undefined;
    if (entry.staleAt <= Date.now() || !this.channel.reliable) {
      this.entries.delete(userId);
      return undefined;
    }
    this.entries.delete(userId); // a hit goes to the back of the eviction order
    this.entries.set(userId, entry);
    return entry.memberships;
  }

  /** Where a read starts: pass it to `set`, which drops the read if a change came in between. */
  mark(): number {
    return this.generation;
  }

  set(userId: string, memberships: Memberships, mark: number): void {
    if (mark !== this.generation || !this.channel.reliable) return;
    const ttl = this.channel.shared ? WITH_REDIS_TTL_MS : this.ttlMs;
    if (ttl <= 0) return;
    this.entries.delete(userId);
    this.entries.set(userId, { memberships, staleAt: Date.now() + ttl });
  }

  /** After a membership change committed: these users' memberships are read afresh, here and on every instance. */
  async changed(userIds: Iterable<string>): Promise<void> {
    const unique = [...new Set(userIds)];
    if (unique.length > 0) await this.channel.publish(unique);
  }

  /** Calls `watcher` after every change this cache hears of (once it has forgotten the users). */
  watch(watcher: MembershipWatcher): void {
    this.watchers.push(watcher);
  }

  private forget(userIds: string[]): void {
    this.generation++;
    for (const userId of userIds) this.entries.delete(userId);
    for (const watcher of this.watchers) watcher.changed(userIds);
  }

  private clear(): void {
    this.generation++;
    this.entries.clear();
    for (const watcher of this.watchers) watcher.resync();
  }
}

function parseUserIds(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}
