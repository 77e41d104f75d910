import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BoundedMap } from '../common/bounded-map.js';
import { listsConfig } from '../config/lists.config.js';
import { InsufficientRoleException } from '../common/problems/insufficient-role.exception.js';
import { atLeast, type ListRole } from './list-role.js';
import { ListsRepository } from './lists.repository.js';
import { MembershipCache, type Memberships, type MembershipWatcher } from './membership-cache.js';

export type { Memberships, MembershipWatcher } from './membership-cache.js';

/**
 * Who may do what in which list: what every module that works inside lists
 * (tasks, later changes and webhooks) asks before it acts. Answered from the
 * `MembershipCache` in the steady state; the statements of those modules
 * filter on membership again (isolation twice), so a stale answer can never
 * widen access.
 */
@Injectable()
export class ListAccess {
  /**
   * Each user's default list: it is made with the account and never deleted, moved or transferred,
   * so once read it holds for as long as the account does (and user ids are never reused).
   */
  private readonly defaults: BoundedMap<string, string>;

  constructor(
    private readonly lists: ListsRepository,
    private readonly cache: MembershipCache,
    @Inject(listsConfig.KEY) config: ConfigType<typeof listsConfig>,
  ) {
    this.defaults = new BoundedMap(config.membershipCacheSize);
  }

  /** Every list the user belongs to, with their role. */
  async memberships(userId: string): Promise<Memberships> {
    const cached = this.cache.get(userId);
    if (cached !== undefined) return cached;
    const mark = this.cache.mark();
    const memberships: Memberships = await this.lists.membershipsOf(userId);
    this.cache.set(userId, memberships, mark);
    return memberships;
  }

  /** Calls `watcher` on every membership change, made here or (with Redis) on another instance. */
  watchMemberships(watcher: MembershipWatcher): void {
    this.cache.watch(watcher);
  }

  /** The user's default list (their Inbox). */
  async defaultListOf(userId: string): Promise<string> {
    const known = this.defaults.get(userId);
    if (known !== undefined) return known;
    const id = await this.lists.defaultListOf(userId);
    if (id === undefined) throw new NotFoundException('List not found');
    this.defaults.set(userId, id);
    return id;
  }

  /** The caller's role in the list: 404 when they are not a member, 403 `insufficient-role` when it is below `required`. */
  async require(userId: string, listId: string, required: ListRole): Promise<ListRole> {
    const role = (await this.memberships(userId)).get(listId);
    if (role === undefined) throw new NotFoundException('List not found');
    if (!atLeast(role, required)) throw new InsufficientRoleException(required);
    return role;
  }
}
