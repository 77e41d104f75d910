import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import { catchError, from, type Observable } from 'rxjs';
import type { AuthUser } from '../common/auth-user.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { TasksService } from './tasks.service.js';

/**
 * On writes that carry a body, the contract checks the task's existence (404)
 * and `If-Match` (412) before the body (400). The write statement itself
 * checks both atomically, so a valid request needs no look-up of its own:
 * only when the body is rejected does this interceptor (which wraps the
 * pipes) ask whether a 404 or 412 comes first. A malformed id stays a 400:
 * path values are checked before existence.
 */
@Injectable()
export class TaskPreconditionInterceptor implements NestInterceptor {
  constructor(private readonly tasksService: TasksService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request & { user: AuthUser }>();
    return next.handle().pipe(catchError((error: unknown) => from(this.outrank(error, request))));
  }

  private async outrank(error: unknown, request: Request & { user: AuthUser }): Promise<never> {
    const id = (request.params as Record<string, string>).id;
    if (error instanceof ValidationProblemException && isUUID(id)) {
      await this.tasksService.assertWritable(id, request.user.id, request.headers['if-match']);
    }
    throw error;
  }
}
