import { type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import type { BeforeBodyCheck } from '../common/decorators/checks-before-body.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import type { ListRole } from './list-role.js';
import { ListsService } from './lists.service.js';

const LIST_ROLE_KEY = 'listRole';

/** The role a list route needs; what `ListPrecondition` checks before a rejected body. */
export const NeedsListRole = (role: ListRole) => SetMetadata(LIST_ROLE_KEY, role);

/** Only a change of the list itself honours `If-Match` (`PATCH`, `DELETE /api/lists/{listId}`). */
const CONDITIONAL = new Set(['PATCH', 'DELETE']);

/**
 * The order of checks under `/api/lists/{listId}` before a rejected body: the path (400), not a member
 * (404), a role too low (403), `If-Match` (412). The change itself checks the same in its transaction,
 * so a valid request needs no look-up of its own: this runs only when the body is rejected.
 */
@Injectable()
export class ListPrecondition implements BeforeBodyCheck {
  constructor(
    private readonly listsService: ListsService,
    private readonly reflector: Reflector,
  ) {}

  async check(request: Request, context: ExecutionContext): Promise<void> {
    const params = request.params as Record<string, string | undefined>;
    const malformed = Object.entries(params).filter(([, value]) => value !== undefined && !isUUID(value));
    if (malformed.length > 0) {
      throw new ValidationProblemException(malformed.map(([field]) => ({ field, message: 'must be a UUID' })));
    }
    if (params.listId === undefined) return;
    const { user } = request as Request & { user: AuthUser };
    const required =
      this.reflector.getAllAndOverride<ListRole | undefined>(LIST_ROLE_KEY, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'viewer';
    // Leaving a list needs no role; removing someone else needs admin+.
    const self = params.userId === user.id && request.method === 'DELETE';
    const onList = Object.keys(params).length === 1 && CONDITIONAL.has(request.method);
    const ifMatch = onList ? request.headers['if-match'] : undefined;
    await this.listsService.assertChangeable(params.listId, user.id, self ? 'viewer' : required, ifMatch);
  }
}
