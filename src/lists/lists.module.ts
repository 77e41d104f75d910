import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SharedStateModule } from '../database/shared-state/shared-state.module.js';
import { SqlModule } from '../database/sql.module.js';
import { UsersModule } from '../users/users.module.js';
import { ListAccountHooks } from './list-account-hooks.js';
import { ListSnapshots } from '../changes/change-snapshots.js';
import { ListAccess } from './list-access.js';
import { ListSnapshotsRepository } from './list-snapshots.repository.js';
import { InvitationsController } from './invitations.controller.js';
import { List } from './list.entity.js';
import { ListInvitation } from './list-invitation.entity.js';
import { ListMember } from './list-member.entity.js';
import { ListPrecondition } from './list-precondition.js';
import { ListsController } from './lists.controller.js';
import { ListsRepository } from './lists.repository.js';
import { ListsService } from './lists.service.js';
import { MembershipCache } from './membership-cache.js';

@Module({
  imports: [TypeOrmModule.forFeature([List, ListMember, ListInvitation]), SqlModule, SharedStateModule, UsersModule],
  controllers: [ListsController, InvitationsController],
  providers: [
    ListsService,
    ListsRepository,
    ListPrecondition,
    ListAccess,
    MembershipCache,
    ListAccountHooks,
    { provide: ListSnapshots, useClass: ListSnapshotsRepository },
  ],
  exports: [ListsService, ListAccess, ListSnapshots],
})
export class ListsModule {}
