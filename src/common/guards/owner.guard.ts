import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import type { AuthUser } from '../auth-user.js';
import type { BeforeBodyCheck } from '../decorators/checks-before-body.decorator.js';
import { ValidationProblemException } from '../problems/validation-problem.exception.js';

/**
 * For routes under `/api/:userId/...`: the caller may only reach their own
 * resources. The contract orders the checks 401 → 400 (malformed path
 * values) → 403, and guards run before pipes, so this guard also rejects any
 * path parameter that is not a UUID (every id in these paths is one).
 *
 * One exception: a caller signed in with an identity provider's token may
 * name itself by that provider's user id (`sub`, often not a UUID: Better
 * Auth's are not), since that is the id its frontend knows (docs/IDENTITY-PROVIDERS.md).
 * Only its own `sub` is allowed; the routes then use the caller's user id,
 * never the path value.
 */
@Injectable()
export class OwnerGuard implements CanActivate, BeforeBodyCheck {
  canActivate(context: ExecutionContext): boolean {
    assertOwner(context.switchToHttp().getRequest<Request>());
    return true;
  }

  /** The same verdict before a rejected body is answered (`@ChecksBeforeBody(OwnerGuard, …)`). */
  check(request: Request): Promise<void> {
    assertOwner(request);
    return Promise.resolve();
  }
}

function assertOwner(request: Request): void {
  const { user } = request as Request & { user: AuthUser };
  const params = request.params as Record<string, string>;
  const ownSubject = user.identity?.subject;
  const isOwnSubject = (field: string, value: string) => field === 'userId' && value === ownSubject;
  const malformed = Object.entries(params).filter(([field, value]) => !isUUID(value) && !isOwnSubject(field, value));
  if (malformed.length > 0) {
    throw new ValidationProblemException(malformed.map(([field]) => ({ field, message: 'must be a UUID' })));
  }
  if (params.userId !== user.id && !isOwnSubject('userId', params.userId)) {
    throw new ForbiddenException('You may only access your own resources');
  }
}
