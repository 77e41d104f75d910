import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isUniqueViolation } from '../common/problems/sql-state.js';
import { retryTransient } from '../database/retry-transient.js';
import type { User } from './user.entity.js';
import { type NewUser, type UserChanges, UsersRepository } from './users.repository.js';

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /**
   * Creates a user; `409` when the email is taken (case-insensitively). Run
   * again when it lost a race (`retryTransient`): on Citus, `users` is a
   * reference table and two inserts of one email deadlock across its copies.
   */
  async create(user: NewUser): Promise<User> {
    try {
      return await retryTransient(() => this.users.insert(user));
    } catch (error) {
      throw emailTakenOr(error);
    }
  }

  /** Changes the caller's own profile; `409` when the new email is taken (case-insensitively). */
  async update(id: string, changes: UserChanges): Promise<User> {
    const values: UserChanges = {};
    if (changes.email !== undefined) values.email = changes.email;
    if (changes.name !== undefined) values.name = changes.name;
    try {
      await retryTransient(() => this.users.update(id, values));
    } catch (error) {
      throw emailTakenOr(error);
    }
    return this.findByIdOrFail(id);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.setPasswordHash(id, passwordHash);
  }

  /** Deletes the account; its tasks and sessions go with it (ON DELETE CASCADE). */
  async remove(id: string): Promise<void> {
    await this.users.delete(id);
  }

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  async findByIdOrFail(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  /** Case-insensitive, answered by the unique index on lower(email). */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(email);
  }
}

/** The unique index on lower(email) refused the row: a `409`. Any other error passes through. */
function emailTakenOr(error: unknown): unknown {
  return isUniqueViolation(error) ? new ConflictException('This email is already registered') : error;
}
