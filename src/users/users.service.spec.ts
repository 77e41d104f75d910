import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConflictException } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { uniqueEmail } from '../../test/helpers/fixtures.js';
import { createTestingModule } from '../../test/helpers/testing-module.js';
import { UsersService } from './users.service.js';

describe(UsersService.name, () => {
  let moduleRef: TestingModule;
  let users: UsersService;

  beforeAll(async () => {
    moduleRef = await createTestingModule();
    users = moduleRef.get(UsersService);
  });
  afterAll(async () => {
    await moduleRef.close();
  });

  it('keeps the email as given and finds it case-insensitively', async () => {
    const email = uniqueEmail('MiXeD');
    const created = await users.create({ email, name: 'Mixed', passwordHash: 'h' });
    expect(created.email).toBe(email);
    await expect(users.findByEmail(email.toLowerCase())).resolves.toMatchObject({ id: created.id });
    await expect(users.findByEmail(email.toUpperCase())).resolves.toMatchObject({ id: created.id });
  });

  it('refuses a second account for the same email in another case (409)', async () => {
    const email = uniqueEmail('dup');
    await users.create({ email, name: null, passwordHash: 'h' });
    await expect(users.create({ email: email.toUpperCase(), name: null, passwordHash: 'h' })).rejects.toThrow(
      ConflictException,
    );
  });

  it('finds nobody for an unknown email or id', async () => {
    await expect(users.findByEmail(uniqueEmail('nobody'))).resolves.toBeNull();
    await expect(users.findById('00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
  });
});
