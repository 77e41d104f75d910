import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Task } from './task.entity.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksController } from './tasks.controller.js';
import { TaskSql } from './task-sql.js';
import { TasksService } from './tasks.service.js';
import { UserTasksController } from './user-tasks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task])],
  controllers: [TasksController, UserTasksController],
  providers: [TasksService, TaskSql, TaskPrecondition],
})
export class TasksModule {}
