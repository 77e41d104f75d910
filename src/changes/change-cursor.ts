import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Where a list's initial snapshot stands: 0 done; 1 the list itself is next;
 * 2 its members after `after` (a user id); 3 its tasks after `after` (a task id).
 */
export type SnapshotStage = 0 | 1 | 2 | 3;

/** A reader's position in one list. */
export interface ListPosition {
  /** The last change number of the list the reader has had (or skipped by having its snapshot). */
  seq: number;
  stage: SnapshotStage;
  /** The last id the snapshot sent in its stage (the nil UUID: none yet). */
  after: string;
}

/** A reader's position in the feed: one position per list it follows. */
export interface FeedPosition {
  /**
   * Everything recorded before this time (ms since the epoch) in the lists of the cursor has
   * been read: a cursor whose `completeAt` is older than the retention may have missed purged
   * changes (`410`).
   */
  completeAt: number;
  lists: Map<string, ListPosition>;
}

export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const VERSION = 1;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + 8;
const DONE_ENTRY_BYTES = 16 + 8 + 1;
const SNAPSHOT_ENTRY_BYTES = DONE_ENTRY_BYTES + 16;
/** Far more lists than anyone belongs to: a bound on the work a forged length could ask for. */
const MAX_ENTRIES = 100_000;

/**
 * Feed cursors: opaque to clients, compact (25 bytes a list, binary), and
 * bound to their user by an HMAC over the user id and the content, so one
 * user's cursor is a malformed cursor for anyone else and cannot be edited.
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    // A key of its own, derived from the signing secret: a cursor's tag can never pass as a token's.
    this.key = createHmac('sha256', secret).update('taskwell change-feed cursor v1').digest();
  }

  encode(userId: string, position: FeedPosition): string {
    const parts: Buffer[] = [];
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(VERSION, 0);
    header.writeDoubleBE(position.completeAt, 1);
    parts.push(header);
    for (const [listId, list] of position.lists) {
      const entry = Buffer.alloc(list.stage === 0 ? DONE_ENTRY_BYTES : SNAPSHOT_ENTRY_BYTES);
      uuidBytes(listId).copy(entry, 0);
      entry.writeBigUInt64BE(BigInt(list.seq), 16);
      entry.writeUInt8(list.stage, 24);
      if (list.stage !== 0) uuidBytes(list.after).copy(entry, 25);
      parts.push(entry);
    }
    const body = Buffer.concat(parts);
    return Buffer.concat([body, this.tag(userId, body)]).toString('base64url');
  }

  /** The position a cursor holds, or undefined when it is not one of this user's cursors. */
  decode(userId: string, cursor: string): FeedPosition | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length < HEADER_BYTES + TAG_BYTES) return undefined;
    const body = bytes.subarray(0, bytes.length - TAG_BYTES);
    if (!timingSafeEqual(bytes.subarray(body.length), this.tag(userId, body))) return undefined;
    if (body.readUInt8(0) !== VERSION) return undefined;
    const completeAt = body.readDoubleBE(1);
    if (!Number.isFinite(completeAt)) return undefined;
    const lists = new Map<string, ListPosition>();
    let offset = HEADER_BYTES;
    while (offset < body.length) {
      if (body.length - offset < DONE_ENTRY_BYTES || lists.size >= MAX_ENTRIES) return undefined;
      const listId = uuidText(body.subarray(offset, offset + 16));
      const seq = Number(body.readBigUInt64BE(offset + 16));
      const stage = body.readUInt8(offset + 24);
      if (stage > 3) return undefined;
      let after = NIL_UUID;
      if (stage !== 0) {
        if (body.length - offset < SNAPSHOT_ENTRY_BYTES) return undefined;
        after = uuidText(body.subarray(offset + 25, offset + 41));
      }
      lists.set(listId, { seq, stage: stage as SnapshotStage, after });
      offset += stage === 0 ? DONE_ENTRY_BYTES : SNAPSHOT_ENTRY_BYTES;
    }
    return { completeAt, lists };
  }

  private tag(userId: string, body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(userId).update(body).digest().subarray(0, TAG_BYTES);
  }
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function uuidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
