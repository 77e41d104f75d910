import { isUUID } from 'class-validator';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { isTimestamp } from '../../common/validation/is-timestamp.decorator.js';
import { type KeyType, SORTS, type SortKey, type SortOrder } from './task-sort.js';

/** Where the previous page ended: the last task's sort key and id. */
export interface CursorPosition {
  key: string | number;
  id: string;
}

const VERSION = 1;
const MAX_TEXT_KEY = 200; // a title is at most 200 code points, and lowering keeps its length

/**
 * An opaque keyset cursor: base64url JSON of the sort, order and position.
 * Values reach SQL only as bound parameters, so validation (not a signature)
 * is what keeps a forged cursor from doing harm: it must name the same sort
 * and order as the request and carry a key of the sort's type, or it is a
 * 400 — never a database error.
 */
export function encodeCursor(sort: SortKey, order: SortOrder, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([VERSION, sort, order, position.key, position.id])).toString('base64url');
}

export function decodeCursor(raw: string, sort: SortKey, order: SortOrder): CursorPosition {
  const parsed = parse(raw);
  if (!Array.isArray(parsed) || parsed.length !== 5) throw invalid('is not a valid cursor');
  const [version, cursorSort, cursorOrder, key, id] = parsed as unknown[];
  if (version !== VERSION || typeof id !== 'string' || !isUUID(id)) throw invalid('is not a valid cursor');
  if (cursorSort !== sort || cursorOrder !== order) {
    throw invalid('belongs to another sort or order; start again without a cursor');
  }
  if (!isKeyOfType(key, SORTS[sort].keyType)) throw invalid('is not a valid cursor');
  return { key, id };
}

function parse(raw: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(raw)) return undefined;
  try {
    return JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isKeyOfType(key: unknown, type: KeyType): key is string | number {
  switch (type) {
    case 'timestamptz':
      return key === 'infinity' || key === '-infinity' || (isTimestamp(key) && !Number.isNaN(Date.parse(key)));
    case 'smallint':
      return Number.isInteger(key) && (key as number) >= 1 && (key as number) <= 3;
    case 'text':
      // PostgreSQL text cannot hold NUL: it would be a database error, not a 400.
      return typeof key === 'string' && !key.includes('\u0000') && [...key].length <= MAX_TEXT_KEY;
  }
}

function invalid(message: string): ValidationProblemException {
  return ValidationProblemException.of('cursor', message);
}
