import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SqlModule } from '../database/sql.module.js';
import { List } from './list.entity.js';
import { ListInvitation } from './list-invitation.entity.js';
import { ListMember } from './list-member.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([List, ListMember, ListInvitation]), SqlModule],
})
export class ListsModule {}
