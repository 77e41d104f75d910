import { describe, expect, it } from '@jest/globals';
import { ForbiddenException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';
import { OwnerGuard } from './owner.guard.js';

const CALLER = '6f1c9b5e-2a4d-4c1e-9f0a-1b2c3d4e5f60';
const OTHER = '0b0a2b8e-6a0f-4d5e-9c1a-2f7a4b7f1c11';

const SUB = 'qUCYYBqOJvc4eTZPQBFkbhOo3FsnEkoY';

function contextFor(params: Record<string, string>, subject?: string) {
  const identity = subject === undefined ? undefined : { id: 'i', issuer: 'https://idp.example', subject };
  const request = { params, user: { id: CALLER, sessionId: 's', identity, expiresAt: 0 } };
  return new ExecutionContextHost([request, {}, () => undefined]);
}

describe(OwnerGuard.name, () => {
  const guard = new OwnerGuard();

  it('lets the caller reach their own path', () => {
    expect(guard.canActivate(contextFor({ userId: CALLER, id: OTHER }))).toBe(true);
  });

  it('forbids another user’s path (403)', () => {
    expect(() => guard.canActivate(contextFor({ userId: OTHER }))).toThrow(ForbiddenException);
  });

  it('rejects a malformed user id before ownership (400)', () => {
    expect(() => guard.canActivate(contextFor({ userId: 'nope' }))).toThrow(ValidationProblemException);
  });

  it('rejects a malformed task id even on another user’s path (400 comes before 403)', () => {
    try {
      guard.canActivate(contextFor({ userId: OTHER, id: 'nope' }));
      throw new Error('expected a validation problem');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationProblemException);
      expect((error as ValidationProblemException).errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    }
  });

  describe('with an identity provider’s token', () => {
    it('accepts the token’s own sub as {userId}, even when it is not a UUID', () => {
      expect(guard.canActivate(contextFor({ userId: SUB, id: OTHER }, SUB))).toBe(true);
    });

    it('still accepts our user id', () => {
      expect(guard.canActivate(contextFor({ userId: CALLER }, SUB))).toBe(true);
    });

    it('rejects another non-UUID value (400) and another user’s id (403)', () => {
      expect(() => guard.canActivate(contextFor({ userId: 'someone-else' }, SUB))).toThrow(ValidationProblemException);
      expect(() => guard.canActivate(contextFor({ userId: OTHER }, SUB))).toThrow(ForbiddenException);
    });

    it('accepts the sub only as {userId}, never as a task id', () => {
      expect(() => guard.canActivate(contextFor({ userId: SUB, id: SUB }, SUB))).toThrow(ValidationProblemException);
    });
  });

  it('never lets our own token use a sub-like value', () => {
    expect(() => guard.canActivate(contextFor({ userId: SUB }))).toThrow(ValidationProblemException);
  });
});
