import { createHash, randomBytes } from 'node:crypto';
import { ConflictException, Inject, Injectable, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ifMatchAllows, ifMatchCondition } from '../common/http/etag.js';
import { InsufficientRoleException } from '../common/problems/insufficient-role.exception.js';
import { LimitReachedException } from '../common/problems/limit-reached.exception.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { listsConfig } from '../config/lists.config.js';
import type { SqlSession } from '../database/sql-runner.js';
import { ListAccess } from './list-access.js';
import { decodeListCursor, encodeListCursor } from './list-cursor.js';
import { atLeast, higher, type InvitationRole, type ListRole } from './list-role.js';
import {
  type InvitationRow,
  type ListRow,
  ListsRepository,
  type LockedList,
  type MemberRow,
} from './lists.repository.js';
import { MembershipCache } from './membership-cache.js';

export interface ListPage {
  lists: ListRow[];
  total: number;
  nextCursor: string | null;
}

/** A change to one list: the list locked, the caller's role checked, in one transaction. */
interface Change {
  tx: SqlSession;
  list: LockedList & { role: ListRole };
  /** Users whose memberships the change touches: their remembered memberships go once it commits. */
  touched: string[];
}

/** An invitation token: 32 random bytes, base64url (43 characters). Anything else is not one of ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The rules of shared lists: roles, the order of checks under a list (404 for a non-member, then 403
 * for a role too low, then 412), ownership, invitations and quotas. The statements are
 * `ListsRepository`'s.
 */
@Injectable()
export class ListsService {
  constructor(
    private readonly lists: ListsRepository,
    private readonly access: ListAccess,
    private readonly cache: MembershipCache,
    @Inject(listsConfig.KEY) private readonly quotas: ConfigType<typeof listsConfig>,
  ) {}

  async page(userId: string, limit: number, cursor?: string): Promise<ListPage> {
    const after = cursor === undefined ? undefined : decodeListCursor(cursor);
    const rows = await this.lists.page(userId, limit + 1, after);
    const total = rows[0]?.total ?? (await this.lists.countMemberships(userId));
    const hasMore = rows.length > limit;
    const page = rows.slice(0, limit).map(({ total: _total, ...list }) => list);
    const last = page.at(-1);
    return { lists: page, total, nextCursor: hasMore && last ? encodeListCursor(last) : null };
  }

  async findOrFail(listId: string, userId: string): Promise<ListRow> {
    await this.access.require(userId, listId, 'viewer');
    const list = await this.lists.findMember(listId, userId);
    if (!list) throw listNotFound();
    return list;
  }

  /** For a rejected body: the checks the contract ranks before it (404, 403, 412), on the database's truth. */
  async assertChangeable(listId: string, userId: string, required: ListRole, ifMatch?: string | string[]) {
    const list = await this.lists.findMember(listId, userId);
    if (!list) throw listNotFound();
    if (!atLeast(list.role, required)) throw insufficientRole(required);
    if (!ifMatchAllows(ifMatchCondition(ifMatch), list.version)) throw preconditionFailed();
  }

  async create(ownerId: string, name: string, color: string | null): Promise<ListRow> {
    const list = await this.lists.transaction(async (tx) => {
      await this.lists.lockOwner(tx, ownerId);
      if ((await this.lists.countOwned(tx, ownerId)) >= this.quotas.maxOwned) {
        throw limitReached(`You own ${this.quotas.maxOwned} lists, the most allowed; delete one first`);
      }
      const id = await this.lists.insert(tx, ownerId, name, color);
      return (await this.lists.findForMember(tx, id, ownerId))!;
    });
    await this.cache.changed([ownerId]);
    return list;
  }

  update(
    listId: string,
    userId: string,
    changes: { name?: string; color?: string | null },
    ifMatch?: string | string[],
  ): Promise<ListRow> {
    return this.change(listId, userId, 'admin', ifMatch, async ({ tx }) => {
      await this.lists.bump(tx, listId, changes);
      return (await this.lists.findForMember(tx, listId, userId))!;
    });
  }

  async remove(listId: string, userId: string, ifMatch?: string | string[]): Promise<void> {
    await this.change(listId, userId, 'owner', ifMatch, async ({ tx, list, touched }) => {
      if (list.isDefault) throw new ConflictException('The default list cannot be deleted');
      touched.push(...(await this.lists.memberIds(tx, listId)));
      await this.lists.delete(tx, listId);
    });
  }

  async members(listId: string, userId: string): Promise<MemberRow[]> {
    await this.access.require(userId, listId, 'viewer');
    return this.lists.membersFor(listId, userId);
  }

  /**
   * A new role for another member: admin+ may change editors and viewers; only the owner grants or
   * revokes `admin`; ownership moves by a transfer only.
   */
  async setRole(listId: string, callerId: string, memberId: string, role: InvitationRole): Promise<MemberRow> {
    return this.change(listId, callerId, 'admin', undefined, async ({ tx, touched }) => {
      const current = await this.lists.roleOf(listId, memberId, tx);
      if (!current) throw memberNotFound();
      if (current === 'owner') throw new ConflictException('The owner’s role changes only by a transfer of ownership');
      if ((current === 'admin' || role === 'admin') && current !== role) await this.requireOwner(tx, listId, callerId);
      if (current !== role) {
        await this.lists.setRole(tx, listId, memberId, role);
        if (current === 'admin') await this.lists.revokeInvitationsBy(tx, listId, memberId);
        await this.lists.bump(tx, listId);
        touched.push(memberId);
      }
      return (await this.lists.members(listId, tx)).find((member) => member.userId === memberId)!;
    });
  }

  /** Leaving (anyone but the owner), or removing a member of a lower role (admin+; an admin needs the owner). */
  async removeMember(listId: string, callerId: string, memberId: string): Promise<void> {
    const required: ListRole = callerId === memberId ? 'viewer' : 'admin';
    await this.change(listId, callerId, required, undefined, async ({ tx, list, touched }) => {
      const current = memberId === callerId ? list.role : await this.lists.roleOf(listId, memberId, tx);
      if (!current) throw memberNotFound();
      if (current === 'owner') {
        throw new ConflictException(
          memberId === callerId
            ? 'The owner cannot leave the list; transfer ownership first, or delete the list'
            : 'The owner cannot be removed',
        );
      }
      if (memberId !== callerId && current === 'admin') await this.requireOwner(tx, listId, callerId);
      await this.lists.removeMember(tx, listId, memberId);
      await this.lists.revokeInvitationsBy(tx, listId, memberId);
      await this.lists.bump(tx, listId);
      touched.push(memberId);
    });
  }

  /** The owner hands the list to another member, and stays as an admin. */
  transfer(listId: string, ownerId: string, newOwnerId: string): Promise<ListRow> {
    return this.change(listId, ownerId, 'owner', undefined, async ({ tx, list, touched }) => {
      if (newOwnerId !== ownerId) {
        if (list.isDefault) throw new ConflictException('The default list cannot be shared or transferred');
        if (!(await this.lists.roleOf(listId, newOwnerId, tx))) {
          throw ValidationProblemException.of('userId', 'must be a member of the list');
        }
        await this.lists.lockOwner(tx, newOwnerId);
        if ((await this.lists.countOwned(tx, newOwnerId)) >= this.quotas.maxOwned) {
          throw limitReached(`That member already owns ${this.quotas.maxOwned} lists, the most allowed`);
        }
        await this.lists.setRole(tx, listId, newOwnerId, 'owner');
        await this.lists.setRole(tx, listId, ownerId, 'admin');
        await this.lists.setOwner(tx, listId, newOwnerId);
        await this.lists.bump(tx, listId);
        touched.push(ownerId, newOwnerId);
      }
      return (await this.lists.findForMember(tx, listId, ownerId))!;
    });
  }

  /** A new invitation; its token is returned this once (only its hash is stored). */
  createInvitation(
    listId: string,
    callerId: string,
    invitation: { role: InvitationRole; expiresInHours: number; maxUses: number },
  ): Promise<InvitationRow & { token: string }> {
    return this.change(listId, callerId, 'admin', undefined, async ({ tx, list }) => {
      if (invitation.role === 'admin') await this.requireOwner(tx, listId, callerId, list.role);
      if (list.isDefault) throw new ConflictException('The default list cannot be shared');
      if ((await this.lists.countActiveInvitations(tx, listId)) >= this.quotas.maxInvitations) {
        throw limitReached(`The list has ${this.quotas.maxInvitations} open invitations, the most allowed`);
      }
      const token = randomBytes(32).toString('base64url');
      const row = await this.lists.insertInvitation(tx, {
        listId,
        tokenHash: hashToken(token),
        role: invitation.role,
        hours: invitation.expiresInHours,
        maxUses: invitation.maxUses,
        createdBy: callerId,
      });
      return { ...row, token };
    });
  }

  async invitations(listId: string, callerId: string): Promise<InvitationRow[]> {
    await this.access.require(callerId, listId, 'admin');
    return this.lists.invitations(listId, callerId);
  }

  async invitation(listId: string, callerId: string, id: string): Promise<InvitationRow> {
    await this.access.require(callerId, listId, 'admin');
    const invitation = await this.lists.invitation(listId, id, callerId);
    if (!invitation) throw invitationNotFound();
    return invitation;
  }

  async revokeInvitation(listId: string, callerId: string, id: string): Promise<void> {
    await this.change(listId, callerId, 'admin', undefined, async ({ tx }) => {
      if (!(await this.lists.revokeInvitation(tx, listId, id))) throw invitationNotFound();
    });
  }

  /**
   * Joins the list of a usable invitation, or raises a member to its role (never lowers one). Any
   * token that cannot be used, for whatever reason, is the same 404: a guesser learns nothing.
   */
  async accept(userId: string, token: string): Promise<ListRow> {
    if (!TOKEN_SHAPE.test(token)) throw invitationNotFound();
    const list = await this.lists.transaction(async (tx) => {
      const tokenHash = hashToken(token);
      const listId = await this.lists.listOfInvitation(tx, tokenHash);
      if (!listId) throw invitationNotFound();
      const list = await this.lists.lockForMember(tx, listId, userId);
      const invitation = await this.lists.lockInvitation(tx, tokenHash);
      if (!list || !invitation?.usable) throw invitationNotFound();
      if (list.role === null) {
        if ((await this.lists.countMembers(tx, list.id)) >= this.quotas.maxMembers) {
          throw limitReached(`The list has ${this.quotas.maxMembers} members, the most allowed`);
        }
        await this.lists.addMember(tx, list.id, userId, invitation.role);
      } else if (higher(list.role, invitation.role) !== list.role) {
        await this.lists.setRole(tx, list.id, userId, invitation.role);
      } else {
        return (await this.lists.findForMember(tx, list.id, userId))!;
      }
      await this.lists.useInvitation(tx, invitation.id);
      await this.lists.bump(tx, list.id);
      return (await this.lists.findForMember(tx, list.id, userId))!;
    });
    await this.cache.changed([userId]);
    return list;
  }

  /**
   * Runs `work` in a transaction that first locks the list and reads the caller's role: 404 when
   * they are not a member, 403 when the role is too low, 412 when `If-Match` names another version.
   */
  private async change<T>(
    listId: string,
    userId: string,
    required: ListRole,
    ifMatch: string | string[] | undefined,
    work: (change: Change) => Promise<T>,
  ): Promise<T> {
    const touched: string[] = [];
    const result = await this.lists.transaction(async (tx) => {
      touched.length = 0;
      const list = await this.lists.lockForMember(tx, listId, userId);
      if (!list?.role) throw listNotFound();
      if (!atLeast(list.role, required)) throw insufficientRole(required);
      if (!ifMatchAllows(ifMatchCondition(ifMatch), list.version)) throw preconditionFailed();
      return work({ tx, list: { ...list, role: list.role }, touched });
    });
    await this.cache.changed(touched);
    return result;
  }

  private async requireOwner(tx: SqlSession, listId: string, userId: string, known?: ListRole): Promise<void> {
    const role = known ?? (await this.lists.roleOf(listId, userId, tx));
    if (role !== 'owner') throw insufficientRole('owner');
  }
}

/** SHA-256, as refresh tokens are stored: the token is 256 random bits, so no salt or slow hash is needed. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function listNotFound(): NotFoundException {
  return new NotFoundException('List not found');
}

function memberNotFound(): NotFoundException {
  return new NotFoundException('No such member in this list');
}

function invitationNotFound(): NotFoundException {
  return new NotFoundException('Invitation not found');
}

function insufficientRole(requiredRole: ListRole): InsufficientRoleException {
  return new InsufficientRoleException(requiredRole);
}

function limitReached(message: string): LimitReachedException {
  return new LimitReachedException(message);
}

function preconditionFailed(): PreconditionFailedException {
  return new PreconditionFailedException('The list has changed: If-Match does not match its current ETag');
}
