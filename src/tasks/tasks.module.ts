import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Task } from './task.entity.js';
import { TaskPreconditionGuard } from './task-precondition.guard.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';
import { UserTasksController } from './user-tasks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task])],
  controllers: [TasksController, UserTasksController],
  providers: [TasksService, TaskPreconditionGuard],
})
export class TasksModule {}
