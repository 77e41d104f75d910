import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccountHooks } from '../users/account-hooks.js';
import { ListsRepository } from './lists.repository.js';

/** Every account gets its default list in the transaction that creates it. */
@Injectable()
export class DefaultListHook implements OnModuleInit {
  constructor(
    private readonly hooks: AccountHooks,
    private readonly lists: ListsRepository,
  ) {}

  onModuleInit(): void {
    this.hooks.onCreated((tx, userId) => this.lists.insertDefault(tx, userId));
  }
}
