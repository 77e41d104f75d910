import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskSnapshots } from '../changes/change-snapshots.js';
import { SqlModule } from '../database/sql.module.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { Task } from './task.entity.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';
import { TaskSnapshotsRepository } from './task-snapshots.repository.js';
import { UserTasksController } from './user-tasks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task, IdempotencyKey]), SqlModule],
  controllers: [TasksController, UserTasksController],
  providers: [
    TasksService,
    TasksRepository,
    TaskPrecondition,
    { provide: TaskSnapshots, useClass: TaskSnapshotsRepository },
  ],
  exports: [TaskSnapshots],
})
export class TasksModule {}
