import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, type TestUser } from '../helpers/fixtures.js';

/**
 * Gives `user` `count` tasks with long descriptions, straight in SQL (the API
 * would take a minute and trip the write limit), so that a search over them
 * takes a while: the slow requests an attacker would send.
 */
export async function seedHeavyTasks(app: INestApplication<App>, user: TestUser, count: number): Promise<void> {
  await app.get(DataSource).query(
    `INSERT INTO tasks (user_id, created_by, list_id, title, description)
     SELECT $1, $1, l.id, 'seeded task ' || n, repeat(md5(n::text), 60)
       FROM lists l, generate_series(1, $2::int) n WHERE l.owner_id = $1 AND l.is_default`,
    [user.id, count],
  );
}

/** The longest of a few timed runs of one request: what a connection is held for. */
export async function slowestOf(runs: number, send: () => request.Test): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await send().expect(200);
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

/** A well-behaved account's requests, one after another: reads, a short search, a create. */
export async function behaveWell(app: INestApplication<App>, user: TestUser): Promise<number[]> {
  const http = () => request(app.getHttpServer());
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) {
    statuses.push((await http().get('/api/tasks').set(bearer(user))).status);
    statuses.push((await http().get('/api/tasks?q=ta').set(bearer(user))).status);
    statuses.push(
      (
        await http()
          .post('/api/tasks')
          .set(bearer(user))
          .send({ title: `calm ${i}` })
      ).status,
    );
  }
  return statuses;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
