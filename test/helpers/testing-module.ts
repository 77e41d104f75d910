import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module.js';
import { GOOD_PASSWORD, uniqueEmail } from './fixtures.js';
import { UsersService } from '../../src/users/users.service.js';

/** The whole application's providers on the test database, without HTTP: for service specs. */
export async function createTestingModule(): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

/** A user row to own test data (the password hash is irrelevant to these specs). */
export async function insertUser(moduleRef: TestingModule): Promise<string> {
  const user = await moduleRef.get(UsersService).create({
    email: uniqueEmail('spec'),
    name: null,
    passwordHash: `not-a-real-hash:${GOOD_PASSWORD}`,
  });
  return user.id;
}
