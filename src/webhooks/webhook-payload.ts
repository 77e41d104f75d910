import type { ChangeRow } from './delivery-queue.repository.js';

/**
 * The body of an event: `{ type, timestamp, data }`, `data` carrying the
 * list's id and the resource as the API returns it, or for a deletion its id
 * and last version (a member's id is their user id). Built once per event:
 * every attempt signs the same bytes.
 */
export function eventBody(listId: string, change: ChangeRow): string {
  const data =
    change.op === 'upsert' && change.data
      ? { listId, ...change.data }
      : change.entity === 'member'
        ? { listId, userId: change.entityId, version: change.version }
        : { listId, id: change.entityId, version: change.version };
  return JSON.stringify({ type: change.type, timestamp: change.createdAt, data });
}
