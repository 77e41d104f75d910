import { Injectable } from '@nestjs/common';
import { ChangeLog } from '../changes/change-log.js';
import type { ChangeType } from '../changes/change.js';
import type { SqlSession } from '../database/sql-runner.js';
import { UsersService } from '../users/users.service.js';
import { ListsRepository } from './lists.repository.js';

/**
 * What each change to a list records in the change log, inside the change's transaction (after its
 * writes and the list's new version): the list as its members see it (without their role), and the
 * member as the member routes show them.
 */
@Injectable()
export class ListChanges {
  constructor(
    private readonly lists: ListsRepository,
    private readonly log: ChangeLog,
    private readonly users: UsersService,
  ) {}

  /** The list's upsert (`list.updated`): name, colour, owner, member count, version. Returns the version. */
  async list(tx: SqlSession, listId: string, actorId: string | null): Promise<number> {
    const list = (await this.lists.shown(tx, listId))!;
    await this.log.record(tx, {
      listId,
      entity: 'list',
      op: 'upsert',
      id: listId,
      version: list.version,
      type: 'list.updated',
      data: list,
      actorId,
    });
    return list.version;
  }

  /** Recorded before the list's rows go (its counter row goes with them). */
  async listDeleted(tx: SqlSession, listId: string, version: number, actorId: string | null): Promise<void> {
    await this.log.record(tx, {
      listId,
      entity: 'list',
      op: 'delete',
      id: listId,
      version,
      type: 'list.deleted',
      actorId,
    });
  }

  /** A member joined or has a new role, then the list (its member count, owner, version). */
  async member(
    tx: SqlSession,
    listId: string,
    userId: string,
    type: Extract<ChangeType, 'member.added' | 'member.role_changed'>,
    actorId: string | null,
  ): Promise<void> {
    const member = (await this.lists.member(tx, listId, userId))!;
    const profile = (await this.users.profiles([userId], tx)).get(userId);
    const version = await this.listVersion(tx, listId);
    await this.log.record(tx, {
      listId,
      entity: 'member',
      op: 'upsert',
      id: userId,
      version,
      type,
      data: { ...member, email: profile?.email ?? null, name: profile?.name ?? null },
      actorId,
    });
  }

  /** A member left or was removed (the feed tells them `access_revoked`). */
  async memberRemoved(tx: SqlSession, listId: string, userId: string, actorId: string | null): Promise<void> {
    const version = await this.listVersion(tx, listId);
    await this.log.record(tx, {
      listId,
      entity: 'member',
      op: 'delete',
      id: userId,
      version,
      type: 'member.removed',
      actorId,
    });
  }

  private async listVersion(tx: SqlSession, listId: string): Promise<number> {
    return (await this.lists.shown(tx, listId))!.version;
  }
}
