import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, createTask, GOOD_PASSWORD, registerUser, uniqueEmail } from './helpers/fixtures.js';
import { createTestApp } from './helpers/test-app.js';

const NEW_PASSWORD = 'another-Plausible-Walrus-77';

describe('Account (e2e)', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const http = () => request(app.getHttpServer());

  describe('PATCH /api/users/me', () => {
    it('changes the name and the email (trimmed)', async () => {
      const user = await registerUser(app);
      const email = uniqueEmail('renamed');
      const response = await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ name: ' Ada ', email: ` ${email} ` })
        .expect(200);
      expect(response.body.data).toMatchObject({ id: user.id, name: 'Ada', email });
      await http().post('/api/auth/login').send({ email, password: GOOD_PASSWORD }).expect(200);
    });

    it('is 409 when the email is taken, compared case-insensitively', async () => {
      const [ada, bob] = [await registerUser(app), await registerUser(app)];
      const response = await http()
        .patch('/api/users/me')
        .set(bearer(bob))
        .send({ email: ada.email.toUpperCase() })
        .expect(409);
      expect(response.body.type).toBe('/problems/conflict');
    });

    it('is 400 for an empty body, a null or invalid value', async () => {
      const user = await registerUser(app);
      await http().patch('/api/users/me').set(bearer(user)).send({}).expect(400);
      await http().patch('/api/users/me').set(bearer(user)).send({ email: null }).expect(400);
      await http().patch('/api/users/me').set(bearer(user)).send({ email: 'not-an-email' }).expect(400);
      await http().patch('/api/users/me').set(bearer(user)).send({ name: '' }).expect(400);
    });

    it.each(['id', 'passwordHash', 'password', 'createdAt', 'updatedAt'])(
      'is 400 when the body names %s (mass assignment)',
      async (field) => {
        const user = await registerUser(app);
        const response = await http()
          .patch('/api/users/me')
          .set(bearer(user))
          .send({ name: 'Eve', [field]: field === 'id' ? user.id : '2020-01-01T00:00:00.000Z' })
          .expect(400);
        expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
        const me = await http().get('/api/users/me').set(bearer(user)).expect(200);
        expect(me.body.data.name).toBe('Test User');
      },
    );
  });

  describe('POST /api/users/me/password', () => {
    it('is 401 for a wrong current password and changes nothing', async () => {
      const user = await registerUser(app);
      const response = await http()
        .post('/api/users/me/password')
        .set(bearer(user))
        .send({ currentPassword: 'wrong-password-entirely', newPassword: NEW_PASSWORD })
        .expect(401);
      expect(response.body.type).toBe('/problems/unauthorized');
      await http().get('/api/users/me').set(bearer(user)).expect(200);
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(200);
    });

    it('is 204, then every session of the user ends at once and only the new password logs in', async () => {
      const user = await registerUser(app);
      const other = (
        await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(200)
      ).body.data.tokens;
      await http().get('/api/users/me').set('Authorization', `Bearer ${other.accessToken}`).expect(200);

      await http()
        .post('/api/users/me/password')
        .set(bearer(user))
        .send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(204);

      await http().get('/api/users/me').set(bearer(user)).expect(401);
      await http().get('/api/users/me').set('Authorization', `Bearer ${other.accessToken}`).expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(401);
      await http().post('/api/auth/login').send({ email: user.email, password: NEW_PASSWORD }).expect(200);
    });

    it('is 400 for a new password that is too short or too common', async () => {
      const user = await registerUser(app);
      for (const newPassword of ['short', 'password123']) {
        await http()
          .post('/api/users/me/password')
          .set(bearer(user))
          .send({ currentPassword: GOOD_PASSWORD, newPassword })
          .expect(400);
      }
    });
  });

  describe('DELETE /api/users/me', () => {
    it('is 204; the user, their tasks and sessions are gone and the access token stops working at once', async () => {
      const user = await registerUser(app);
      await createTask(app, user);
      await http().get('/api/users/me').set(bearer(user)).expect(200);

      await http().delete('/api/users/me').set(bearer(user)).expect(204);

      await http().get('/api/tasks').set(bearer(user)).expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(401);
      const db = app.get(DataSource);
      for (const table of ['users', 'tasks', 'sessions', 'refresh_tokens']) {
        const column = table === 'users' ? 'id' : 'user_id';
        const rows = await db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [user.id]);
        expect({ table, n: rows[0].n }).toEqual({ table, n: 0 });
      }
    });

    it('leaves other users alone', async () => {
      const [ada, bob] = [await registerUser(app), await registerUser(app)];
      await http().delete('/api/users/me').set(bearer(ada)).expect(204);
      await http().get('/api/users/me').set(bearer(bob)).expect(200);
    });
  });
});
