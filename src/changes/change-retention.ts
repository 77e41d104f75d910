import { Injectable } from '@nestjs/common';

/** In list `listId`, the changes numbered after `afterSeq` are still needed. */
export interface RetentionHold {
  listId: string;
  afterSeq: string;
}

/** Asked before each purge: the holds on changes recorded before `before`. */
export type RetentionHolder = (before: Date) => Promise<RetentionHold[]>;

/**
 * What keeps changes past CHANGES_RETENTION_DAYS: a module that reads the log
 * on its own schedule (webhooks, whose dispatcher may be off for longer than
 * the retention) registers a holder when it starts (`onModuleInit`), and the
 * purge keeps, in each list held, the changes after the lowest hold. The
 * changes module imports none of those modules.
 */
@Injectable()
export class ChangeRetention {
  private readonly holders: RetentionHolder[] = [];

  register(holder: RetentionHolder): void {
    this.holders.push(holder);
  }

  /** Each held list and the number after which its changes stay (the lowest hold of the list). */
  async holds(before: Date): Promise<Map<string, string>> {
    const held = new Map<string, string>();
    for (const holder of this.holders) {
      for (const { listId, afterSeq } of await holder(before)) {
        const known = held.get(listId);
        if (known === undefined || BigInt(afterSeq) < BigInt(known)) held.set(listId, afterSeq);
      }
    }
    return held;
  }
}
