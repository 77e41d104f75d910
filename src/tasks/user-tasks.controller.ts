import { Controller, UseGuards } from '@nestjs/common';
import { OwnerGuard } from '../common/guards/owner.guard.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { TasksController } from './tasks.controller.js';

/**
 * `/api/{userId}/tasks`: the same routes as `/api/tasks`, for clients that
 * address tasks by user. Only the caller's own id is allowed (403 otherwise).
 */
@ApiProblems(403)
@UseGuards(OwnerGuard)
@Controller(':userId/tasks')
export class UserTasksController extends TasksController {}
