import { Controller, UseGuards } from '@nestjs/common';
import { ChecksBeforeBody } from '../common/decorators/checks-before-body.decorator.js';
import { OwnerGuard } from '../common/guards/owner.guard.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksController } from './tasks.controller.js';

/**
 * `/api/{userId}/tasks`: the same routes as `/api/tasks`, for clients that
 * address tasks by user. Only the caller's own id is allowed (403 otherwise),
 * and that verdict outranks a rejected body's, as the task's own checks do.
 */
@ApiProblems(403)
@UseGuards(OwnerGuard)
@ChecksBeforeBody(OwnerGuard, TaskPrecondition)
@Controller(':userId/tasks')
export class UserTasksController extends TasksController {}
