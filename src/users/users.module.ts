import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SqlModule } from '../database/sql.module.js';
import { AccountHooks } from './account-hooks.js';
import { IdentitiesRepository } from './identities.repository.js';
import { IdentitiesService } from './identities.service.js';
import { UserIdentity } from './user-identity.entity.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User, UserIdentity]), SqlModule],
  controllers: [UsersController],
  providers: [UsersService, UsersRepository, IdentitiesService, IdentitiesRepository, AccountHooks],
  exports: [UsersService, IdentitiesService, AccountHooks],
})
export class UsersModule {}
