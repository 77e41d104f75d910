import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SqlModule } from '../database/sql.module.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { Task } from './task.entity.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';
import { UserTasksController } from './user-tasks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task, IdempotencyKey]), SqlModule],
  controllers: [TasksController, UserTasksController],
  providers: [TasksService, TasksRepository, TaskPrecondition],
})
export class TasksModule {}
