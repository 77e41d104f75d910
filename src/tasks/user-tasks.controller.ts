import { Controller, UseGuards } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { OwnerGuard } from '../common/guards/owner.guard.js';
import { TasksController } from './tasks.controller.js';

/**
 * `/api/{userId}/tasks`: the same routes as `/api/tasks`, for clients that
 * address tasks by user. Only the caller's own id is allowed (403 otherwise).
 */
@ApiParam({ name: 'userId', format: 'uuid', description: 'Must be the caller’s own id' })
@UseGuards(OwnerGuard)
@Controller(':userId/tasks')
export class UserTasksController extends TasksController {}
