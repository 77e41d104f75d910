import { describe, expect, it } from '@jest/globals';
import { ValidationProblemException } from '../../common/problems/validation-problem.exception.js';
import { decodeCursor, encodeCursor } from './list-cursor.js';

const id = '5f0c7c39-6f35-4b43-9d33-0e4ab1b3a3f1';
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('list cursor', () => {
  describe('round trip', () => {
    it.each([
      ['createdAt', 'desc', '2026-11-21T23:02:42.123Z'],
      ['dueAt', 'asc', 'infinity'],
      ['dueAt', 'desc', '-infinity'],
      ['priority', 'desc', 3],
      ['title', 'asc', 'ünïcode title 😀'],
    ] as const)('%s %s keeps its key %p', (sort, order, key) => {
      const cursor = encodeCursor(sort, order, { key, id });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, sort, order)).toEqual({ key, id });
    });
  });

  describe('decodeCursor rejects', () => {
    it.each([
      ['an empty string', ''],
      ['characters outside base64url', 'abc+/='],
      ['bytes that are not JSON', 'bm90IGpzb24'],
      ['a non-array', raw({ key: 1 })],
      ['a short array', raw([1, 'createdAt', 'desc', '2026-01-01T00:00:00.000Z'])],
      ['another version', raw([0, 'createdAt', 'desc', '2026-01-01T00:00:00.000Z', id])],
      ['a bad id', raw([1, 'createdAt', 'desc', '2026-01-01T00:00:00.000Z', 'nope'])],
      ['another sort', raw([1, 'updatedAt', 'desc', '2026-01-01T00:00:00.000Z', id])],
      ['another order', raw([1, 'createdAt', 'asc', '2026-01-01T00:00:00.000Z', id])],
      ['a number for a timestamp', raw([1, 'createdAt', 'desc', 5, id])],
      ['a timestamp without zone', raw([1, 'createdAt', 'desc', '2026-01-01T00:00:00', id])],
      ['infinity on a non-null key, or garbage', raw([1, 'createdAt', 'desc', 'someday', id])],
    ])('%s', (_, cursor) => {
      expect(() => decodeCursor(cursor, 'createdAt', 'desc')).toThrow(ValidationProblemException);
    });

    it('a rank outside 1..3 or not an integer', () => {
      for (const key of [0, 4, 2.5, '2']) {
        expect(() => decodeCursor(raw([1, 'priority', 'desc', key, id]), 'priority', 'desc')).toThrow(
          ValidationProblemException,
        );
      }
    });

    it('a title key with NUL or over 200 characters', () => {
      for (const key of ['a\u0000', 'x'.repeat(201), 7]) {
        expect(() => decodeCursor(raw([1, 'title', 'asc', key, id]), 'title', 'asc')).toThrow(
          ValidationProblemException,
        );
      }
    });

    it('names the cursor field', () => {
      try {
        decodeCursor('zz', 'createdAt', 'desc');
      } catch (error) {
        expect((error as ValidationProblemException).errors).toEqual([
          { field: 'cursor', message: expect.any(String) },
        ]);
      }
      expect.assertions(1);
    });
  });
});
