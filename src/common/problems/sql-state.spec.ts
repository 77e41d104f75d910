import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { isLostRace, isUniqueViolation, sqlStateOf } from './sql-state.js';

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe(sqlStateOf.name, () => {
  it('reads the driver error of a QueryFailedError, or the code of a pg error', () => {
    expect(sqlStateOf(new QueryFailedError('INSERT', [], withCode('23505')))).toBe('23505');
    expect(sqlStateOf(withCode('40P01'))).toBe('40P01');
    expect(sqlStateOf(new Error('no code'))).toBe('');
    expect(sqlStateOf(undefined)).toBe('');
  });
});

describe(isUniqueViolation.name, () => {
  it('is true only for 23505', () => {
    expect(isUniqueViolation(new QueryFailedError('INSERT', [], withCode('23505')))).toBe(true);
    expect(isUniqueViolation(new QueryFailedError('INSERT', [], withCode('23503')))).toBe(false);
  });
});

describe(isLostRace.name, () => {
  it.each([
    ['a deadlock victim (40P01)', new QueryFailedError('INSERT', [], withCode('40P01'))],
    ['a serialization failure (40001)', withCode('40001')],
  ])('is true for %s', (_case, error) => {
    expect(isLostRace(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('23505'))],
    ['a lost connection', withCode('ECONNRESET')],
    ['a non-error', undefined],
  ])('is false for %s', (_case, error) => {
    expect(isLostRace(error)).toBe(false);
  });
});
