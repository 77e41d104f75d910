import { describe, expect, it } from '@jest/globals';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { decodeListCursor, encodeListCursor } from './list-cursor.js';

describe('list cursor', () => {
  const position = { createdAt: '2026-12-07T02:03:04.567Z', id: '0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11' };

  it('decodes what it encoded', () => {
    expect(decodeListCursor(encodeListCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64url JSON', 'nope'],
    ['a number pair', Buffer.from('[1,2]').toString('base64url')],
    ['a bad timestamp', Buffer.from(JSON.stringify(['2026-13-99T00:00:00.000Z', position.id])).toString('base64url')],
    ['a bad id', Buffer.from(JSON.stringify([position.createdAt, 'x'])).toString('base64url')],
    ['an object', Buffer.from(JSON.stringify({ createdAt: position.createdAt })).toString('base64url')],
  ])('rejects %s with a 400 on cursor', (_, cursor) => {
    expect(() => decodeListCursor(cursor)).toThrow(ValidationProblemException);
  });
});
