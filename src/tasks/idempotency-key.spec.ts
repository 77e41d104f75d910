import { describe, expect, it } from '@jest/globals';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { fingerprintOf, parseIdempotencyKey } from './idempotency-key.js';

describe('parseIdempotencyKey', () => {
  it('reads a Structured Field string', () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"with space, and comma"')).toBe('with space, and comma');
  });

  it('accepts a bare token', () => {
    expect(parseIdempotencyKey('abc-123_X.y~z')).toBe('abc-123_X.y~z');
  });

  it('means no key when the header is absent', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['empty quotes', '""'],
    ['too long', `"${'a'.repeat(256)}"`],
    ['a backslash escape', '"a\\"b"'],
    ['non-ASCII', '"clé"'],
    ['a control character', '"a\u0000b"'],
    ['a repeated header, joined', '"a", "b"'],
    ['a bare list', 'a, b'],
    ['unbalanced quotes', '"abc'],
  ])('refuses %s with a validation problem on the header', (_name, value) => {
    expect(() => parseIdempotencyKey(value)).toThrow(ValidationProblemException);
    try {
      parseIdempotencyKey(value);
    } catch (error) {
      expect((error as ValidationProblemException).errors[0].field).toBe('Idempotency-Key');
    }
  });

  it('refuses the header sent twice', () => {
    expect(() => parseIdempotencyKey(['"a"', '"b"'])).toThrow(ValidationProblemException);
  });

  it('takes 255 characters', () => {
    expect(parseIdempotencyKey(`"${'k'.repeat(255)}"`)).toHaveLength(255);
  });
});

describe('fingerprintOf', () => {
  it('ignores key order and spacing', () => {
    expect(fingerprintOf({ title: 'a', tags: ['x', 'y'], n: { b: 1, a: 2 } })).toBe(
      fingerprintOf(JSON.parse('{ "n": {"a":2, "b":1}, "tags": ["x","y"], "title": "a" }')),
    );
  });

  it('tells different bodies apart', () => {
    expect(fingerprintOf({ title: 'a' })).not.toBe(fingerprintOf({ title: 'b' }));
    expect(fingerprintOf({ tags: ['x', 'y'] })).not.toBe(fingerprintOf({ tags: ['y', 'x'] }));
    expect(fingerprintOf({ description: null })).not.toBe(fingerprintOf({}));
    expect(fingerprintOf({ a: '1' })).not.toBe(fingerprintOf({ a: 1 }));
  });
});
