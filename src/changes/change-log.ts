import { Injectable } from '@nestjs/common';
import type { SqlSession } from '../database/sql-runner.js';
import type { ChangeInput, RecordedChange } from './change.js';
import { ChangeLogRepository } from './change-log.repository.js';
import { ChangeSignals } from './change-signals.js';

/**
 * What every write to a list calls, once per changed resource, inside its own
 * transaction: `await changeLog.record(tx, { listId, entity, op, id, version, type, data, actorId })`.
 * The change commits or rolls back with the write it records (so does the
 * webhook delivery built on it).
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
    this.signals.announce(change.listId, position.seq);
    return { listId: change.listId, seq: position.seq, eventId };
  }
}
