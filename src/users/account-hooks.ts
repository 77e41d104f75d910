import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';

/** Work another module does for an account, inside the account's own transaction. */
export type AccountHook = (tx: SqlSession, userId: string) => Promise<void>;

/** Work after the account's transaction committed (tell caches what changed); never throws into the caller. */
export type AccountAfterHook = (userId: string) => void;

/**
 * Where other modules join an account's life cycle without the users module knowing them (users
 * imports no feature module): the lists module makes the default list when an account is created,
 * and hands shared lists on when one is deleted; the tasks module unassigns a deleted member. The
 * hooks run in the transaction that inserts or deletes the user, so an account never exists
 * without its default list, nor goes leaving lists without an owner. No trigger on `users` does
 * this: on Citus `users` is a reference table.
 */
@Injectable()
export class AccountHooks {
  private readonly created: AccountHook[] = [];
  private readonly deleting: AccountHook[] = [];
  private readonly deleted: AccountAfterHook[] = [];

  onCreated(fn: AccountHook): void {
    this.created.push(fn);
  }

  onDeleting(fn: AccountHook): void {
    this.deleting.push(fn);
  }

  /** After the deletion committed: what the deleting hooks changed is now visible to every reader. */
  onDeleted(fn: AccountAfterHook): void {
    this.deleted.push(fn);
  }

  async runCreated(tx: SqlSession, userId: string): Promise<void> {
    for (const fn of this.created) await fn(tx, userId);
  }

  async runDeleting(tx: SqlSession, userId: string): Promise<void> {
    for (const fn of this.deleting) await fn(tx, userId);
  }

  runDeleted(userId: string): void {
    for (const fn of this.deleted) fn(userId);
  }
}
