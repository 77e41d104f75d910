import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';

/** Work another module does inside an account's own transaction. */
export type AccountHook = (tx: SqlSession, userId: string) => Promise<void>;

/**
 * What other modules run when an account is created or deleted, inside that
 * account's transaction (no triggers on `users`: on Citus it is a reference
 * table). A module registers its hooks once, when it starts (`onModuleInit`);
 * the users module runs them in the order they were registered, and a hook
 * that throws rolls the whole account change back.
 */
@Injectable()
export class AccountHooks {
  private readonly created: AccountHook[] = [];
  private readonly deleting: AccountHook[] = [];

  /** Runs after the account's row is inserted (registration, an identity provider's first token). */
  onCreated(hook: AccountHook): void {
    this.created.push(hook);
  }

  /** Runs before the account's row is deleted, while its rows still exist. */
  onDeleting(hook: AccountHook): void {
    this.deleting.push(hook);
  }

  async runCreated(tx: SqlSession, userId: string): Promise<void> {
    for (const hook of this.created) await hook(tx, userId);
  }

  async runDeleting(tx: SqlSession, userId: string): Promise<void> {
    for (const hook of this.deleting) await hook(tx, userId);
  }
}
