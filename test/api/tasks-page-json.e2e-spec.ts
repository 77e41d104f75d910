import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/** A body's `data` as the bytes the service wrote: `{"data":…}` or `{"data":…,"meta":…}`. */
function rawData(text: string): string {
  expect(text.startsWith('{"data":')).toBe(true);
  const end = text.lastIndexOf(',"meta":');
  return text.slice('{"data":'.length, end === -1 ? -1 : end);
}

/**
 * A page's tasks are JSON that PostgreSQL writes (`taskJsonText`); a single task's is the service's own
 * `JSON.stringify`. As a property over odd text, tags, due dates at the ends of the accepted range (years
 * 1000 and 9999, offsets pushing them past either end in UTC) and completion: the page holds the very
 * bytes that the task's own routes answer.
 */
describe('A page of tasks is byte for byte what the task routes answer (property)', () => {
  let app: INestApplication<App>;
  let user: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const text = (maxLength: number) =>
    fc
      .string({
        unit: fc.oneof(
          fc.constantFrom('"', '\\', '\n', '\t', '\u0001', '\u007f', '\u2028', 'é', '😀'),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        ),
        minLength: 1,
        maxLength,
      })
      .filter((value) => value.trim().length > 0);
  const offset = fc.constantFrom('Z', '+14:00', '-12:00', '+05:30', '.5Z', '.999-01:00', '.123456Z');
  const dueAt = fc.oneof(
    fc.constant(null),
    fc
      .tuple(fc.constantFrom('1000-01-01T00:00:00', '9999-12-31T23:59:59', '2026-06-15T12:34:56'), offset)
      .map(([at, zone]) => at + zone),
  );
  const body = fc.record(
    {
      title: text(30),
      description: fc.oneof(fc.constant(null), text(60)),
      priority: fc.constantFrom('low', 'medium', 'high'),
      tags: fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { maxLength: 3 }),
      dueAt,
      completed: fc.boolean(),
    },
    { requiredKeys: ['title'] },
  );

  it('writes a column the schema leaves null as null (a row written in SQL, as an import or a test seed does)', async () => {
    // Every nullable column null, `updated_by` among them: the API always sets it, the schema does not ask it to.
    const [{ id }] = await app.get(DataSource).query<{ id: string }[]>(
      `INSERT INTO tasks (user_id, created_by, list_id, title)
       SELECT $1, $1, l.id, 'written in SQL' FROM lists l WHERE l.owner_id = $1 AND l.is_default RETURNING id`,
      [user.id],
    );
    const single = await request(app.getHttpServer()).get(`/api/tasks/${id}`).set(bearer(user)).expect(200);
    expect(single.body.data).toMatchObject({ updatedBy: null, description: null, dueAt: null, completedBy: null });
    const page = await request(app.getHttpServer())
      .get('/api/tasks')
      .query({ limit: 1, sort: 'updatedAt' })
      .set(bearer(user))
      .expect(200);
    expect(rawData(page.text)).toBe(`[${rawData(single.text)}]`);
  });

  it('holds for created and then edited tasks', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.option(text(30), { nil: undefined }), async (fields, newTitle) => {
        const created = await request(app.getHttpServer()).post('/api/tasks').set(bearer(user)).send(fields);
        fc.pre(created.status === 201);
        let single = rawData(created.text);
        if (newTitle !== undefined) {
          const id = created.body.data.id as string;
          const edited = await request(app.getHttpServer())
            .patch(`/api/tasks/${id}`)
            .set(bearer(user))
            .send({ title: newTitle, completed: !created.body.data.completed });
          if (edited.status === 200) single = rawData(edited.text);
        }
        const page = await request(app.getHttpServer())
          .get('/api/tasks')
          .query({ limit: 1, sort: 'updatedAt' })
          .set(bearer(user))
          .expect(200)
          .expect('Content-Type', 'application/json; charset=utf-8');
        expect(rawData(page.text)).toBe(`[${single}]`);
      }),
      {
        numRuns: 60,
        // The ends of the range, past them in UTC: year 10000 (`+010000-…`) and 0999.
        examples: [
          [{ title: 'late', dueAt: '9999-12-31T23:59:59.999-12:00' }, undefined],
          [{ title: 'early', dueAt: '1000-01-01T00:00:00+14:00', completed: true }, 'edited'],
        ],
      },
    );
  });
});
