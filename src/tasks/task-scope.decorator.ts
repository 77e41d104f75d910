import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import type { TaskScope } from './tasks.service.js';

/** The scope of a request: the caller, and the path's `listId` under `/api/lists/{listId}/tasks`. */
export function scopeOf(request: Request): TaskScope {
  const { user } = request as Request & { user: AuthUser };
  const { listId } = request.params as Record<string, string | undefined>;
  return { callerId: user.id, listId };
}

/** The handler's `TaskScope` (the route family's guard has checked the path first). */
export const Scope = createParamDecorator((_data: unknown, ctx: ExecutionContext): TaskScope =>
  scopeOf(ctx.switchToHttp().getRequest<Request>()),
);
