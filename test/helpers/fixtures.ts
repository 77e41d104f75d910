import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** A password that passes every rule. */
export const GOOD_PASSWORD = 'plausible-Tortoise-42';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}@example.com`;
}

/** Registers a fresh user through the API. */
export async function registerUser(app: INestApplication<App>, name = 'Test User'): Promise<TestUser> {
  const email = uniqueEmail();
  const response = await request(app.getHttpServer())
    .post('/api/auth/register')
    .send({ email, password: GOOD_PASSWORD, name })
    .expect(201);
  const { user, tokens } = response.body.data;
  return { id: user.id, email, password: GOOD_PASSWORD, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

export function bearer(user: TestUser): { Authorization: string } {
  return { Authorization: `Bearer ${user.accessToken}` };
}

/** Creates a task through the API and returns its body. */
export async function createTask(
  app: INestApplication<App>,
  user: TestUser,
  body: Record<string, unknown> = { title: 'A task' },
): Promise<Record<string, any>> {
  const response = await request(app.getHttpServer()).post('/api/tasks').set(bearer(user)).send(body).expect(201);
  return response.body.data;
}
