import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { CursorExpiredException } from '../common/problems/cursor-expired.exception.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { changesConfig } from '../config/changes.config.js';
import { jwtConfig } from '../config/jwt.config.js';
import { ListAccess, type Memberships, type MembershipWatcher } from '../lists/list-access.js';
import type { Change } from './change.js';
import { CursorCodec, type FeedPosition, type ListPosition, NIL_UUID } from './change-cursor.js';
import { ListSnapshots, TaskSnapshots } from './change-snapshots.js';
import { type ChangeRow, ChangesRepository } from './changes.repository.js';

/** One page of the feed. */
export interface ChangePage {
  changes: Change[];
  cursor: string;
  hasMore: boolean;
}

/**
 * How far before a read its cursor counts as complete: a change is stamped
 * when it is recorded and may commit later; a cursor must not claim it before
 * it could be read (retention is days, so minutes of margin cost nothing).
 */
const COMPLETENESS_MARGIN_MS = 5 * 60_000;

/**
 * The change feed (docs/API.md, "Changes and events"). A cursor holds one
 * position per list the reader follows: the last change number of the list
 * it has had. In a list, numbers are taken under the list's counter row lock,
 * so number order is commit order: once a reader has number n, every change
 * numbered below n is committed and was read (or covered by the snapshot).
 * That holds on Citus too, where snapshots and transaction ids are per node
 * but each list lives on one shard.
 *
 * A list the reader has no position for (the first read, a list joined since)
 * is sent whole first: its position is read, then the list, its members and
 * its tasks as upserts (what the snapshot shows of later changes comes again
 * with them: clients keep the newer `version`). A list the reader left is one
 * `access_revoked` delete.
 */
@Injectable()
export class ChangesService {
  private readonly codec: CursorCodec;

  constructor(
    private readonly repository: ChangesRepository,
    private readonly listAccess: ListAccess,
    private readonly listSnapshots: ListSnapshots,
    private readonly taskSnapshots: TaskSnapshots,
    @Inject(changesConfig.KEY) private readonly config: ConfigType<typeof changesConfig>,
    @Inject(jwtConfig.KEY) jwt: ConfigType<typeof jwtConfig>,
  ) {
    this.codec = new CursorCodec(jwt.secret);
  }

  /** The caller's position, from a cursor (400 malformed, 410 past retention) or at the start. */
  positionOf(userId: string, cursor: string | undefined, field = 'cursor'): FeedPosition {
    const now = Date.now();
    if (cursor === undefined) return { completeAt: now - COMPLETENESS_MARGIN_MS, lists: new Map() };
    const position = this.codec.decode(userId, cursor);
    if (position === undefined) throw ValidationProblemException.of(field, 'is not a valid cursor');
    if (position.completeAt < now - this.config.retentionMs) {
      throw new CursorExpiredException(Math.round(this.config.retentionMs / 86_400_000));
    }
    return position;
  }

  encode(userId: string, position: FeedPosition): string {
    return this.codec.encode(userId, position);
  }

  memberships(userId: string): Promise<Memberships> {
    return this.listAccess.memberships(userId);
  }

  /** Calls `watcher` on every membership change (here or, with Redis, on another instance). */
  watchMemberships(watcher: MembershipWatcher): void {
    this.listAccess.watchMemberships(watcher);
  }

  /** The caller's position at "now": every list they belong to, at its last change, no snapshot. */
  async now(userId: string): Promise<FeedPosition> {
    const completeAt = Date.now() - COMPLETENESS_MARGIN_MS;
    const memberships = await this.listAccess.memberships(userId);
    const seqs = await this.repository.positions([...memberships.keys()]);
    const lists = new Map<string, ListPosition>();
    for (const listId of memberships.keys())
      lists.set(listId, { seq: seqs.get(listId) ?? 0, stage: 0, after: NIL_UUID });
    return { completeAt, lists };
  }

  async read(userId: string, cursor: string | undefined, limit: number): Promise<ChangePage> {
    const position = this.positionOf(userId, cursor);
    const { changes, hasMore } = await this.advance(userId, position, limit);
    return { changes, cursor: this.codec.encode(userId, position), hasMore };
  }

  /**
   * Up to `limit` changes after `position`, which moves past them. The
   * position counts as complete up to the read's start when nothing is left.
   * `known`: the caller's memberships as read a moment ago (an event stream
   * re-reads them every second); the page still checks membership in SQL, so
   * a stale entry delays an `access_revoked`, never leaks a change.
   */
  async advance(
    userId: string,
    position: FeedPosition,
    limit: number,
    known?: Memberships,
  ): Promise<{ changes: Change[]; hasMore: boolean }> {
    const startedAt = Date.now();
    const memberships = known ?? (await this.listAccess.memberships(userId));
    const out: Change[] = [];

    for (const listId of [...position.lists.keys()]) {
      if (memberships.has(listId)) continue;
      if (out.length >= limit) return { changes: out, hasMore: true };
      out.push({ entity: 'list', op: 'delete', id: listId, listId, version: 0, reason: 'access_revoked' });
      position.lists.delete(listId);
    }

    const joined = [...memberships.keys()].filter((listId) => !position.lists.has(listId));
    // The position first, then what the snapshot reads: a change the snapshot misses comes after it.
    const seqs = await this.repository.positions(joined);
    for (const listId of joined) position.lists.set(listId, { seq: seqs.get(listId) ?? 0, stage: 1, after: NIL_UUID });

    for (const [listId, list] of position.lists) {
      while (list.stage !== 0) {
        if (out.length >= limit) return { changes: out, hasMore: true };
        await this.snapshotStep(listId, list, memberships, out, limit - out.length);
      }
    }
    if (out.length >= limit) return { changes: out, hasMore: true };

    const listIds = [...position.lists.keys()];
    const room = limit - out.length;
    const rows =
      listIds.length === 0
        ? []
        : await this.repository.page(
            userId,
            listIds,
            listIds.map((listId) => position.lists.get(listId)?.seq ?? 0),
            room + 1,
          );
    for (const row of rows.slice(0, room)) {
      out.push(toChange(row, memberships));
      const list = position.lists.get(row.listId);
      if (list) list.seq = Number(row.seq);
    }
    const hasMore = rows.length > room;
    if (!hasMore) position.completeAt = Math.max(position.completeAt, startedAt - COMPLETENESS_MARGIN_MS);
    return { changes: out, hasMore };
  }

  /**
   * One list's changes after `afterSeq`, for the event streams that follow it
   * (one read for all of them); the caller checks each reader's membership
   * (`membersAmong`) and maps rows with `changeOf`.
   */
  tail(listId: string, afterSeq: number, limit: number): Promise<ChangeRow[]> {
    return this.repository.tail(listId, afterSeq, limit);
  }

  membersAmong(listId: string, userIds: string[]): Promise<Set<string>> {
    return this.repository.membersAmong(listId, userIds);
  }

  changeOf(row: ChangeRow, memberships: Memberships): Change {
    return toChange(row, memberships);
  }

  /** One step of a list's snapshot: the list, then its members, then its tasks, in pages. */
  private async snapshotStep(
    listId: string,
    list: ListPosition,
    memberships: Memberships,
    out: Change[],
    room: number,
  ): Promise<void> {
    if (list.stage === 1) {
      const row = await this.listSnapshots.list(listId);
      if (row === undefined) {
        list.stage = 0; // deleted meanwhile: its deletion is a change after the position
        return;
      }
      out.push({
        entity: 'list',
        op: 'upsert',
        id: listId,
        listId,
        version: row.version,
        data: { ...row, role: memberships.get(listId) },
      });
      list.stage = 2;
      list.after = NIL_UUID;
      return;
    }
    if (list.stage === 2) {
      const rows = await this.listSnapshots.members(listId, list.after, room);
      for (const { member, listVersion } of rows) {
        out.push({ entity: 'member', op: 'upsert', id: member.userId, listId, version: listVersion, data: member });
      }
      if (rows.length < room) [list.stage, list.after] = [3, NIL_UUID];
      else list.after = rows[rows.length - 1].member.userId;
      return;
    }
    const rows = await this.taskSnapshots.tasks(listId, list.after, room);
    for (const task of rows)
      out.push({ entity: 'task', op: 'upsert', id: task.id, listId, version: task.version, data: task });
    if (rows.length < room) [list.stage, list.after] = [0, NIL_UUID];
    else list.after = rows[rows.length - 1].id;
  }
}

function toChange(row: ChangeRow, memberships: Memberships): Change {
  const change: Change = { entity: row.entity, op: row.op, id: row.id, listId: row.listId, version: row.version };
  if (row.data !== null) {
    // A list's `role` is each reader's own.
    change.data = row.entity === 'list' ? { ...row.data, role: memberships.get(row.listId) } : row.data;
  }
  if (row.reason !== null) change.reason = row.reason;
  return change;
}
