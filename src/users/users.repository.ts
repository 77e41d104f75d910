import { Injectable } from '@nestjs/common';
import { SqlRunner, type SqlSession } from '../database/sql-runner.js';
import { AccountHooks } from './account-hooks.js';

export interface UserChanges {
  email?: string;
  name?: string;
}

export interface NewUser {
  email: string;
  name: string | null;
  passwordHash: string;
}

/** A user as the statements return it: timestamps already in the API's ISO 8601 form. */
export interface UserRow {
  id: string;
  email: string | null;
  name: string | null;
  /** Null for a user provisioned from an identity provider. */
  passwordHash: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The first key of the account locks (`lockAccount`), so that they never meet another advisory lock's key. */
const ACCOUNT_LOCK_SPACE = 0x7573; // "us"
const USER_COLUMNS = `id, email, name, password_hash AS "passwordHash", created_at AS "createdAt", updated_at AS "updatedAt"`;

/**
 * Every statement on `users` (through `SqlRunner`); UsersService keeps the
 * rules. On Citus `users` is a reference table, where two writes of one
 * email can deadlock across its copies: those writes run again when they
 * lost such a race (`SqlRunner.write`).
 */
@Injectable()
export class UsersRepository {
  constructor(
    private readonly sql: SqlRunner,
    private readonly hooks: AccountHooks,
  ) {}

  /** The account and what other modules make with it (`AccountHooks.onCreated`), in one transaction. */
  insert(user: NewUser): Promise<UserRow> {
    return this.sql.transaction(
      async (tx) => {
        const [created] = await tx.query<UserRow>(
          `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
          [user.email, user.name, user.passwordHash],
        );
        await this.hooks.runCreated(tx, created.id);
        return created;
      },
      { retry: true },
    );
  }

  /** Sets the given fields and bumps updated_at; undefined when there is no such user. */
  async update(id: string, changes: UserChanges): Promise<UserRow | undefined> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (changes.email !== undefined) set('email', changes.email);
    if (changes.name !== undefined) set('name', changes.name);
    sets.push('updated_at = now()');
    const rows = await this.sql.write<UserRow>(
      `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${USER_COLUMNS}`,
      values,
    );
    return rows[0];
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.sql.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  /**
   * Once the logins in flight are done (`lockAccount`): other modules' `AccountHooks.onDeleting` work,
   * then the row, in one transaction. The cascade locks
   * rows in another order than a bulk update of them (complete-all): PostgreSQL then aborts one of the
   * two as a deadlock victim, and the transaction runs again.
   */
  async delete(id: string): Promise<void> {
    await this.sql.transaction(
      async (tx) => {
        await this.lockAccount(tx, id, 'exclusive');
        await this.hooks.runDeleting(tx, id);
        await tx.query(`DELETE FROM users WHERE id = $1`, [id]);
      },
      { retry: true },
    );
  }

  /**
   * Within `tx`, until it ends: the account's lock, shared (a login creating a session) or exclusive (a
   * password change revoking sessions, a deletion). A transaction-level advisory lock, not a row lock:
   * on Citus `users` is a reference table, and a row lock on it locks the table's whole shard, so two
   * logins of any two accounts deadlocked there (their session insert upgrades that lock).
   */
  async lockAccount(tx: SqlSession, id: string, mode: 'shared' | 'exclusive'): Promise<void> {
    const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    await tx.query(`SELECT ${lock}(${ACCOUNT_LOCK_SPACE}, hashtext($1))`, [id]);
  }

  /** Within `tx`: the user's password hash; undefined: no such user. */
  async passwordHashOf(tx: SqlSession, id: string): Promise<string | null | undefined> {
    const rows = await tx.query<{ password_hash: string | null }>(`SELECT password_hash FROM users WHERE id = $1`, [
      id,
    ]);
    return rows.length === 0 ? undefined : rows[0].password_hash;
  }

  async findById(id: string): Promise<UserRow | null> {
    const rows = await this.sql.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The email and name of each of these users (those that exist). */
  findProfiles(
    ids: string[],
    session: SqlSession = this.sql,
  ): Promise<{ id: string; email: string | null; name: string | null }[]> {
    return session.query(`SELECT id, email, name FROM users WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** Case-insensitive, answered by the unique index on lower(email). */
  async findByEmail(email: string): Promise<UserRow | null> {
    const rows = await this.sql.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`, [
      email,
    ]);
    return rows[0] ?? null;
  }
}
