import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ListAccess } from '../../src/lists/list-access.js';
import { bearer, type TestUser } from './fixtures.js';

/** An instance of the service, one of several side by side in a test. */
export type Instance = INestApplication<App>;

export const call = (
  app: Instance,
  user: TestUser,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  body?: object,
) => {
  const req = request(app.getHttpServer())[method](path).set(bearer(user));
  return body === undefined ? req : req.send(body);
};

/** Polls `probe` until it holds; resolves with the milliseconds it took, rejects after `withinMs`. */
export async function within(withinMs: number, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`still not so after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A list of `owner`'s made on `app`, with `member` joined through an invitation. */
export async function sharedList(app: Instance, owner: TestUser, member: TestUser, role = 'editor'): Promise<string> {
  const list = (await call(app, owner, 'post', '/api/lists', { name: 'Shared' }).expect(201)).body.data;
  const { token } = (await call(app, owner, 'post', `/api/lists/${list.id}/invitations`, { role }).expect(201)).body
    .data;
  await call(app, member, 'post', '/api/invitations/accept', { token }).expect(200);
  return list.id as string;
}

export const rolesOn = async (app: Instance, user: TestUser) => app.get(ListAccess).memberships(user.id);
