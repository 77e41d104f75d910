import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';
import { AccountHooks } from '../users/account-hooks.js';
import { ListsRepository } from './lists.repository.js';
import { MembershipCache } from './membership-cache.js';

/** The name of the list every account gets. */
const DEFAULT_LIST_NAME = 'Inbox';

/**
 * The lists side of an account's life cycle, run inside the account's transaction (AccountHooks):
 * a new account gets its default list; a deleted one hands each shared list it owned to the
 * earliest-joined admin, else editor, else the list goes (its tasks with it), and leaves the lists
 * it joined (each gets a new version: its member count changed).
 */
@Injectable()
export class ListAccountHooks implements OnModuleInit {
  /** The users a deletion in flight touches, announced once it commits. */
  private readonly pending = new Map<string, Set<string>>();

  constructor(
    private readonly hooks: AccountHooks,
    private readonly lists: ListsRepository,
    private readonly cache: MembershipCache,
  ) {}

  onModuleInit(): void {
    this.hooks.onCreated((tx, userId) => this.created(tx, userId));
    this.hooks.onDeleting((tx, userId) => this.deleting(tx, userId));
    this.hooks.onDeleted((userId) => this.deleted(userId));
  }

  private async created(tx: SqlSession, userId: string): Promise<void> {
    await this.lists.insert(tx, userId, DEFAULT_LIST_NAME, null, true);
  }

  private async deleting(tx: SqlSession, userId: string): Promise<void> {
    const touched = new Set<string>([userId]);
    for (const list of await this.lists.lockOwned(tx, userId)) {
      const successor = list.isDefault ? undefined : await this.lists.successorOf(tx, list.id, userId);
      if (successor === undefined) {
        for (const memberId of await this.lists.memberIds(tx, list.id)) touched.add(memberId);
        await this.lists.delete(tx, list.id);
        continue;
      }
      await this.lists.setRole(tx, list.id, successor, 'owner');
      await this.lists.setOwner(tx, list.id, successor);
      await this.lists.removeMember(tx, list.id, userId);
      await this.lists.bump(tx, list.id);
      touched.add(successor);
    }
    await this.lists.leaveAll(tx, userId);
    // A transaction run again after a lost race starts this over: the last run's set is the one.
    this.pending.set(userId, touched);
  }

  private deleted(userId: string): void {
    const touched = this.pending.get(userId) ?? new Set([userId]);
    this.pending.delete(userId);
    void this.cache.changed(touched);
  }
}
