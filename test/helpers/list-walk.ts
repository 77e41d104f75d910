import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, type TestUser } from './fixtures.js';

export interface ListPage {
  data: Record<string, any>[];
  meta: { total: number; limit: number; nextCursor: string | null };
}

export async function listPage(
  app: INestApplication<App>,
  user: TestUser,
  query: Record<string, string | number>,
  base = '/api/tasks',
): Promise<ListPage> {
  const response = await request(app.getHttpServer()).get(base).query(query).set(bearer(user)).expect(200);
  return response.body;
}

/**
 * Follows `nextCursor` to the end and returns every id seen, in order.
 * `between` runs after each page (to change the data mid-walk).
 */
export async function walk(
  app: INestApplication<App>,
  user: TestUser,
  query: Record<string, string | number>,
  options: {
    base?: string;
    between?: (pageIndex: number) => Promise<void>;
  } = {},
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let index = 0; index < 1000; index++) {
    const page = await listPage(app, user, cursor ? { ...query, cursor } : query, options.base);
    ids.push(...page.data.map((task) => task.id as string));
    cursor = page.meta.nextCursor;
    if (!cursor) return ids;
    await options.between?.(index);
  }
  throw new Error('the walk did not end');
}
