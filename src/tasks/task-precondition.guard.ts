import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import type { AuthUser } from '../common/auth-user.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { TasksService } from './tasks.service.js';

/**
 * On writes that carry a body, the contract checks the task's existence (404)
 * and `If-Match` (412) before the body (400); guards run before the body is
 * validated, so those checks happen here. The write itself re-checks both
 * atomically, so a race between here and there cannot slip through.
 */
@Injectable()
export class TaskPreconditionGuard implements CanActivate {
  constructor(private readonly tasksService: TasksService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    const id = (request.params as Record<string, string>).id;
    if (!isUUID(id)) throw ValidationProblemException.of('id', 'must be a UUID');
    await this.tasksService.assertWritable(id, request.user.id, request.headers['if-match']);
    return true;
  }
}
