import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';

/** Work another module does inside an account's own transaction. */
export type AccountHook = (tx: SqlSession, userId: string) => Promise<void>;

/** Work after the account's deletion committed (telling caches what changed); it must not throw. */
export type AccountAfterHook = (userId: string) => void;

/**
 * What other modules run when an account is created or deleted, inside that
 * account's transaction (no triggers on `users`: on Citus it is a reference
 * table): the lists module makes the default list, and hands shared lists on;
 * the tasks module unassigns a deleted member. A module registers its hooks
 * once, when it starts (`onModuleInit`); the users module runs them in the
 * order they were registered, and a hook that throws rolls the whole account
 * change back. The users module imports none of those modules.
 */
@Injectable()
export class AccountHooks {
  private readonly created: AccountHook[] = [];
  private readonly deleting: AccountHook[] = [];
  private readonly deleted: AccountAfterHook[] = [];

  /** Runs after the account's row is inserted (registration, an identity provider's first token). */
  onCreated(hook: AccountHook): void {
    this.created.push(hook);
  }

  /** Runs before the account's row is deleted, while its rows still exist. */
  onDeleting(hook: AccountHook): void {
    this.deleting.push(hook);
  }

  /** Runs once the deletion committed: what the deleting hooks changed is now what every reader sees. */
  onDeleted(hook: AccountAfterHook): void {
    this.deleted.push(hook);
  }

  async runCreated(tx: SqlSession, userId: string): Promise<void> {
    for (const hook of this.created) await hook(tx, userId);
  }

  async runDeleting(tx: SqlSession, userId: string): Promise<void> {
    for (const hook of this.deleting) await hook(tx, userId);
  }

  runDeleted(userId: string): void {
    for (const hook of this.deleted) hook(userId);
  }
}
