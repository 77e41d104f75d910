import { Controller, UseGuards } from '@nestjs/common';
import { ChecksBeforeBody } from '../common/decorators/checks-before-body.decorator.js';
import { ApiProblems } from '../common/openapi/api-problems.decorator.js';
import { ListMembershipGuard } from './list-membership.guard.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksController } from './tasks.controller.js';

/**
 * `/api/lists/{listId}/tasks`: the same routes as `/api/tasks`, scoped to one
 * list: a member reads (`viewer`), an `editor` writes; not a member is a 404,
 * a role too low a 403 `insufficient-role`, both before the task's own checks
 * and the body's.
 */
@ApiProblems(404)
@UseGuards(ListMembershipGuard)
@ChecksBeforeBody(ListMembershipGuard, TaskPrecondition)
@Controller('lists/:listId/tasks')
export class ListTasksController extends TasksController {}
