/**
 * The current state of a list, read by the module that owns each part, for
 * the feed's first read of a list (a new reader, a joined list). Each read is
 * one page in id order after `after` (the nil UUID: from the start), in the
 * shape the owner's routes return. The lists module provides `ListSnapshots`,
 * the tasks module `TaskSnapshots`.
 */
export abstract class ListSnapshots {
  /** The list as its routes return it, without the caller's `role`; undefined once it is gone. */
  abstract list(listId: string): Promise<(Record<string, unknown> & { version: number }) | undefined>;

  /** Members (`{ userId, email, name, role, joinedAt }`) by user id, with the list's version. */
  abstract members(
    listId: string,
    afterUserId: string,
    limit: number,
  ): Promise<{ member: Record<string, unknown> & { userId: string }; listVersion: number }[]>;
}

export abstract class TaskSnapshots {
  /** Tasks as the task routes return them, by id. */
  abstract tasks(
    listId: string,
    afterId: string,
    limit: number,
  ): Promise<(Record<string, unknown> & { id: string; version: number })[]>;
}
