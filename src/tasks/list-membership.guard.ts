import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import type { BeforeBodyCheck } from '../common/decorators/checks-before-body.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { ListAccess } from '../lists/list-access.js';

/** Methods that only read: a `viewer` may; every other needs `editor`. */
const READS = new Set(['GET', 'HEAD']);

/**
 * `/api/lists/{listId}/tasks…`: the path's ids are UUIDs (400), the caller is a member of the list
 * (404 otherwise) with the role the method needs (403 `insufficient-role`), in that order, before
 * anything else of the route (docs/API.md, "Order of checks"). The statements filter on the list
 * and the membership again.
 */
@Injectable()
export class ListMembershipGuard implements CanActivate, BeforeBodyCheck {
  constructor(private readonly access: ListAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.check(context.switchToHttp().getRequest<Request>());
    return true;
  }

  /** The same verdict before a rejected body is answered (`@ChecksBeforeBody(ListMembershipGuard, …)`). */
  async check(request: Request): Promise<void> {
    const params = request.params as Record<string, string>;
    const malformed = Object.entries(params).filter(([, value]) => !isUUID(value));
    if (malformed.length > 0) {
      throw new ValidationProblemException(malformed.map(([field]) => ({ field, message: 'must be a UUID' })));
    }
    const { user } = request as Request & { user: AuthUser };
    await this.access.require(user.id, params.listId, READS.has(request.method) ? 'viewer' : 'editor');
  }
}
