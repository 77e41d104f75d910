import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskSnapshots } from '../changes/change-snapshots.js';
import { ChangeLogModule } from '../changes/change-log.module.js';
import { SqlModule } from '../database/sql.module.js';
import { ListsModule } from '../lists/lists.module.js';
import { UsersModule } from '../users/users.module.js';
import { ListMembershipGuard } from './list-membership.guard.js';
import { ListTasksController } from './list-tasks.controller.js';
import { TaskAccountHooks } from './task-account-hooks.js';
import { IdempotencyKey } from './idempotency-key.entity.js';
import { Task } from './task.entity.js';
import { TaskPrecondition } from './task-precondition.js';
import { TasksController } from './tasks.controller.js';
import { TasksRepository } from './tasks.repository.js';
import { TasksService } from './tasks.service.js';
import { TaskSnapshotsRepository } from './task-snapshots.repository.js';
import { UserTasksController } from './user-tasks.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Task, IdempotencyKey]), SqlModule, ChangeLogModule, ListsModule, UsersModule],
  controllers: [TasksController, UserTasksController, ListTasksController],
  providers: [
    TasksService,
    TasksRepository,
    TaskPrecondition,
    ListMembershipGuard,
    TaskAccountHooks,
    { provide: TaskSnapshots, useClass: TaskSnapshotsRepository },
  ],
  exports: [TaskSnapshots],
})
export class TasksModule {}
