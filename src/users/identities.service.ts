import { ConflictException, Injectable } from '@nestjs/common';
import { isUniqueViolation } from '../common/problems/sql-state.js';
import { AccountHooks } from './account-hooks.js';
import {
  type IdentityRecord,
  IdentitiesRepository,
  type LinkedIdentity,
  type VerifiedIdentity,
} from './identities.repository.js';

export type { VerifiedIdentity } from './identities.repository.js';

/** What a first sight whose email is taken gets: how to link, not a merged account. */
export const EMAIL_BELONGS_TO_ANOTHER_ACCOUNT =
  'An account with this email already exists. Sign in to it and link this identity with ' +
  'POST /api/users/me/identities {"token": "<this access token>"}; accounts are never merged by email.';
export const IDENTITY_LINKED_ELSEWHERE = 'This identity is already linked to another account';

/**
 * External identities (docs/IDENTITY-PROVIDERS.md). The users module owns them because a user
 * and its identities are created together, in one transaction, and go
 * together (ON DELETE CASCADE).
 */
@Injectable()
export class IdentitiesService {
  constructor(
    private readonly identities: IdentitiesRepository,
    private readonly hooks: AccountHooks,
  ) {}

  find(issuer: string, subject: string): Promise<LinkedIdentity | null> {
    return this.identities.find(issuer, subject);
  }

  /**
   * The identity's user, provisioned on first sight: a user without password
   * and its identity, in one transaction. Concurrent first requests create
   * one: the unique `(issuer, subject)` refuses all but one, and those roll
   * back their user and read the winner's link. Plain INSERTs, not `ON
   * CONFLICT`: on Citus both tables are reference tables, where an upsert
   * locks the table (and the `users` it references) exclusively, so two
   * provisions in flight would deadlock; a plain INSERT takes a shared lock.
   * A race that still ends in a deadlock runs again (`IdentitiesRepository`).
   * Never links to an existing account by email: that is a 409 saying how.
   */
  async findOrProvision(identity: VerifiedIdentity): Promise<LinkedIdentity> {
    const known = await this.find(identity.issuer, identity.subject);
    if (known) return known;
    try {
      return await this.identities.provision(identity, (tx, userId) => this.hooks.runCreated(tx, userId));
    } catch (error) {
      const winner = await this.lostRace(error, identity);
      if (winner) return winner;
      if (isUniqueViolation(error)) throw new ConflictException(EMAIL_BELONGS_TO_ANOTHER_ACCOUNT);
      throw error;
    }
  }

  /** Links an identity to an existing user; `409` when another user has it. `created` is false when it was already this user's. */
  async link(userId: string, issuer: string, subject: string): Promise<{ record: IdentityRecord; created: boolean }> {
    try {
      const linkedAt = await this.identities.insert(userId, issuer, subject);
      return { record: { issuer, subject, linkedAt }, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const link = await this.identities.findLink(issuer, subject);
    // Gone between the two statements (its user was deleted): the caller may try again.
    if (link?.userId !== userId) throw new ConflictException(IDENTITY_LINKED_ELSEWHERE);
    return { record: { issuer, subject, linkedAt: link.linkedAt }, created: false };
  }

  /** Whether the link still exists (the session check of an identity provider's token). */
  isLinked(identityId: string, userId: string): Promise<boolean> {
    return this.identities.isLinked(identityId, userId);
  }

  listOf(userId: string): Promise<IdentityRecord[]> {
    return this.identities.listOf(userId);
  }

  /**
   * A concurrent first request won: either its link made ours violate the
   * `(issuer, subject)` index, or (same trusted email) its user made ours
   * violate the email index while both were in flight. Either way the
   * identity is now linked.
   */
  private async lostRace(error: unknown, identity: VerifiedIdentity): Promise<LinkedIdentity | null> {
    if (!isUniqueViolation(error)) return null;
    return this.find(identity.issuer, identity.subject);
  }
}
