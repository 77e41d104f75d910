import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Request } from 'express';
import type { BeforeBodyCheck } from '../common/decorators/checks-before-body.decorator.js';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import { scopeOf } from './task-scope.decorator.js';
import { TasksService } from './tasks.service.js';

/** Methods that read: `If-Match` and the `editor` role do not apply to them. */
const READS = new Set(['GET', 'HEAD']);

/**
 * What the contract checks before a task route's body: a malformed id (400),
 * then the task's existence for this caller (404), their role in its list
 * (403), then `If-Match` (412). The write statement itself checks all of that
 * atomically, so a valid request needs no look-up of its own: this runs only
 * when the body is rejected, to tell whether one of these problems comes first.
 */
@Injectable()
export class TaskPrecondition implements BeforeBodyCheck {
  constructor(private readonly tasksService: TasksService) {}

  async check(request: Request): Promise<void> {
    const { id } = request.params as Record<string, string | undefined>;
    if (id === undefined) return;
    if (!isUUID(id)) throw ValidationProblemException.of('id', 'must be a UUID');
    const read = READS.has(request.method);
    await this.tasksService.assertWritable(scopeOf(request), id, read ? undefined : request.headers['if-match'], !read);
  }
}
