import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';
import type { ChangeInput, RecordedChange } from './change.js';
import { ChangeLogRepository } from './change-log.repository.js';
import { ChangeSignals } from './change-signals.js';

/**
 * What every write to a list calls, once per changed resource, inside its own
 * transaction: `await changeLog.record(tx, { listId, entity, op, id, version, type, data, actorId })`.
 * The change commits or rolls back with the write it records (so does the
 * webhook delivery built on it). What each write records (`data`: the
 * resource as its route answers; a list without `role`):
 *
 * - task created / edited / completed / reopened: an upsert, `task.created`,
 *   `task.updated`, `task.completed`, `task.reopened`; deleted: a delete with
 *   its last version, `task.deleted`; bulk routes: one per task.
 * - task moved: in the old list a delete with reason `moved` and the new
 *   version (`task.deleted`), in the new one an upsert (`task.created`).
 * - list renamed or recoloured: an upsert, `list.updated`; deleted: a delete,
 *   `list.deleted`, recorded before the list's rows go (its counter row goes
 *   with them).
 * - member joined, removed or left, role changed, transfer, hand-off: the
 *   member's upsert or delete (`member.added`, `member.removed`,
 *   `member.role_changed`, version: the list's new one), and the list's
 *   upsert (`list.updated`: `memberCount`, `ownerId`, `version`).
 *
 * Taking the number locks the list's counter row until the transaction ends:
 * a list's writers are serialized from their `record` call to their commit.
 * Call it late in the transaction, after the checks that may refuse the write.
 */
@Injectable()
export class ChangeLog {
  constructor(
    private readonly repository: ChangeLogRepository,
    private readonly signals: ChangeSignals,
  ) {}

  async record(tx: SqlSession, change: ChangeInput): Promise<RecordedChange> {
    const position = await this.repository.nextPosition(tx, change.listId);
    // Every list has its counter row from its creation: a missing one is a bug, not a client error.
    if (position === undefined) throw new Error(`List ${change.listId} has no counter row`);
    const eventId = await this.repository.insert(tx, change, position.seq, position.at);
    // Streams hear of it once it is committed (a rolled-back change is never announced).
    const memberId = change.entity === 'member' ? change.id : undefined;
    tx.afterCommit(() => this.announce(change.listId, position.seq, memberId));
    return { listId: change.listId, seq: position.seq, eventId };
  }

  /**
   * Several changes at once (a bulk write: one per task), in their order: each list's numbers are
   * taken in one statement and its changes inserted in another, whatever their count.
   */
  async recordAll(tx: SqlSession, changes: ChangeInput[]): Promise<void> {
    const byList = new Map<string, ChangeInput[]>();
    for (const change of changes) byList.set(change.listId, [...(byList.get(change.listId) ?? []), change]);
    // Lists in a fixed order, so two bulk writes over the same lists cannot deadlock on their counters.
    for (const listId of [...byList.keys()].sort()) {
      const listChanges = byList.get(listId)!;
      const position = await this.repository.nextPositions(tx, listId, listChanges.length);
      if (position === undefined) throw new Error(`List ${listId} has no counter row`);
      await this.repository.insertAll(tx, listId, listChanges, position.last - listChanges.length + 1, position.at);
      tx.afterCommit(() => this.announce(listId, position.last));
    }
  }

  /**
   * Wakes the streams that follow the list, once change `seq` has committed: `record` calls it, and
   * so does the caller of a write that recorded its change in its own statement (`change-statement`).
   */
  announce(listId: string, seq: number, memberId?: string): void {
    this.signals.announce({ listId, seq, memberId });
  }
}
