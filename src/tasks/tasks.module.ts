import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Task } from './task.entity.js';
import { TaskPreconditionInterceptor } from './task-precondition.interceptor.js';
import { TasksController } from './tasks.controller.js';
import { TaskSql } from './task-sql.js';
import { TasksService } from './tasks.service.js';
import { UserTasksController } from './user-tasks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task])],
  controllers: [TasksController, UserTasksController],
  providers: [TasksService, TaskSql, TaskPreconditionInterceptor],
})
export class TasksModule {}
