/** What a change is about. A member change's id is the member's user id. */
export type ChangeEntity = 'task' | 'list' | 'member';

export type ChangeOp = 'upsert' | 'delete';

/**
 * Why something left a reader's view: `deleted`; `moved` (a task went to
 * another list: the reader who cannot see that list drops it); `access_revoked`
 * (one change for a whole list: the reader drops every task and member of it).
 */
export type DeleteReason = 'deleted' | 'moved' | 'access_revoked';

/** The webhook event type of a change: what a webhook delivery of it is called. */
export type ChangeType =
  | 'task.created'
  | 'task.updated'
  | 'task.completed'
  | 'task.reopened'
  | 'task.deleted'
  | 'list.updated'
  | 'list.deleted'
  | 'member.added'
  | 'member.removed'
  | 'member.role_changed';

/** One write, as its module hands it to `ChangeLog.record`. */
export interface ChangeInput {
  listId: string;
  entity: ChangeEntity;
  op: ChangeOp;
  /** The task's id, the list's id, or the member's user id. */
  id: string;
  /** The resource's version after the write (a deletion: its last version; a member: the list's). */
  version: number;
  type: ChangeType;
  /** For an upsert: the resource exactly as the API returns it (a list without the caller's `role`). */
  data?: object;
  /** For a delete: why (default `deleted`). */
  reason?: DeleteReason;
  /** Who made the change (null for the system: an account deletion's hand-off, say). */
  actorId: string | null;
}

/** A change as the feed returns it. */
export interface Change {
  entity: ChangeEntity;
  op: ChangeOp;
  id: string;
  listId: string;
  version: number;
  data?: Record<string, unknown>;
  reason?: DeleteReason;
}

/** What `ChangeLog.record` took: the list's new position, and the webhook event's id. */
export interface RecordedChange {
  listId: string;
  seq: number;
  eventId: string;
}
