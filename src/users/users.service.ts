import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isUniqueViolation } from '../common/problems/sql-state.js';
import type { SqlSession } from '../database/sql-runner.js';
import { AccountHooks } from './account-hooks.js';
import { type NewUser, type UserChanges, type UserRow, UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hooks: AccountHooks,
  ) {}

  /** Creates a user; `409` when the email is taken (case-insensitively). */
  async create(user: NewUser): Promise<UserRow> {
    try {
      return await this.users.insert(user);
    } catch (error) {
      throw emailTakenOr(error);
    }
  }

  /** Changes the caller's own profile; `409` when the new email is taken (case-insensitively). */
  async update(id: string, changes: UserChanges): Promise<UserRow> {
    let updated: UserRow | undefined;
    try {
      updated = await this.users.update(id, changes);
    } catch (error) {
      throw emailTakenOr(error);
    }
    if (!updated) throw new NotFoundException('User not found');
    return updated;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.setPasswordHash(id, passwordHash);
  }

  /**
   * Deletes the account, after the other modules' `AccountHooks.onDeleting` work in the same transaction;
   * its sessions and what it owns go with it (ON DELETE CASCADE).
   */
  async remove(id: string): Promise<void> {
    await this.users.delete(id);
    this.hooks.runDeleted(id);
  }

  /**
   * Within `tx`: whether the user still exists and holds `passwordHash`. The account's lock is held
   * shared until `tx` ends, so that a password change or a deletion waits for the work `tx` does (a
   * login's new session) and then revokes or deletes it with the others.
   */
  async holdsPassword(tx: SqlSession, id: string, passwordHash: string | null): Promise<boolean> {
    await this.users.lockAccount(tx, id, 'shared');
    // A statement of its own after the lock: its snapshot then sees a change that held the lock exclusive.
    const current = await this.users.passwordHashOf(tx, id);
    return current !== undefined && current === passwordHash;
  }

  /** Within `tx`: waits for the logins in flight (`holdsPassword`) and keeps new ones out until `tx` ends. */
  lockAgainstLogins(tx: SqlSession, id: string): Promise<void> {
    return this.users.lockAccount(tx, id, 'exclusive');
  }

  findById(id: string): Promise<UserRow | null> {
    return this.users.findById(id);
  }

  async findByIdOrFail(id: string): Promise<UserRow> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  /** The email and name of each of these users, by id (another module shows them beside its own rows). */
  async profiles(
    ids: string[],
    session?: SqlSession,
  ): Promise<Map<string, { email: string | null; name: string | null }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.users.findProfiles(ids, session);
    return new Map(rows.map((row) => [row.id, { email: row.email, name: row.name }]));
  }

  /** Case-insensitive, answered by the unique index on lower(email). */
  findByEmail(email: string): Promise<UserRow | null> {
    return this.users.findByEmail(email);
  }
}

/** The unique index on lower(email) refused the row: a `409`. Any other error passes through. */
function emailTakenOr(error: unknown): unknown {
  return isUniqueViolation(error) ? new ConflictException('This email is already registered') : error;
}
