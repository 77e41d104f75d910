import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The position after a list in the caller's lists (oldest first): opaque to clients. */
export function encodeListCursor(list: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([list.createdAt, list.id])).toString('base64url');
}

export function decodeListCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      TIMESTAMP.test(value[0]) &&
      !Number.isNaN(Date.parse(value[0])) &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    ) {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // not base64url JSON: the same answer as any other foreign cursor
  }
  throw ValidationProblemException.of('cursor', 'must be the nextCursor of a previous page');
}
