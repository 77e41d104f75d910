import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountHooks } from '../users/account-hooks.js';
import { TasksRepository } from './tasks.repository.js';

/**
 * A deleted account's tasks stay in the lists that remain (`createdBy` keeps its id); the tasks
 * assigned to it become unassigned, each with a new version, in the deletion's transaction.
 */
@Injectable()
export class TaskAccountHooks implements OnModuleInit {
  constructor(
    private readonly hooks: AccountHooks,
    private readonly tasks: TasksRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.onDeleting((tx, userId) => this.tasks.unassignAll(tx, userId));
  }
}
