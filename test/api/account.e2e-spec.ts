import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, createTask, GOOD_PASSWORD, registerUser, uniqueEmail } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

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
        .send({ name: ' Ada ', email: ` ${email} `, currentPassword: GOOD_PASSWORD })
        .expect(200);
      expect(response.body.data).toMatchObject({ id: user.id, name: 'Ada', email });
      await http().post('/api/auth/login').send({ email, password: GOOD_PASSWORD }).expect(200);
    });

    it('is 409 when the email is taken, compared case-insensitively', async () => {
      const [ada, bob] = [await registerUser(app), await registerUser(app)];
      const response = await http()
        .patch('/api/users/me')
        .set(bearer(bob))
        .send({ email: ada.email.toUpperCase(), currentPassword: GOOD_PASSWORD })
        .expect(409);
      expect(response.body.type).toBe('/problems/conflict');
    });

    it('is 400 for an empty body, a null or invalid value', async () => {
      const user = await registerUser(app);
      await http().patch('/api/users/me').set(bearer(user)).send({}).expect(400);
      const password = { currentPassword: GOOD_PASSWORD };
      await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ email: null, ...password })
        .expect(400);
      await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ email: 'not-an-email', ...password })
        .expect(400);
      await http().patch('/api/users/me').set(bearer(user)).send({ name: '' }).expect(400);
    });

    it('changes the profile while the same user writes tasks, with no request failing', async () => {
      // On Citus, users is a reference table that every task write's foreign key locks: the two must not deadlock.
      const user = await registerUser(app);
      const writes = Array.from({ length: 12 }, (_, i) =>
        i % 4 === 0
          ? http()
              .patch('/api/users/me')
              .set(bearer(user))
              .send({ name: `Name ${i}` })
          : http()
              .post('/api/tasks')
              .set(bearer(user))
              .send({ title: `task ${i}` }),
      );
      const statuses = (await Promise.all(writes)).map((response) => response.status);
      expect(statuses).toEqual(Array.from({ length: 12 }, (_, i) => (i % 4 === 0 ? 200 : 201)));
      const list = await http().get('/api/tasks').set(bearer(user)).expect(200);
      expect(list.body.meta.total).toBe(9);
    });

    it('gives a contested email to one of four users changing to it at once; the others get 409', async () => {
      const users = await Promise.all(Array.from({ length: 4 }, () => registerUser(app)));
      const email = uniqueEmail('contested');
      const responses = await Promise.all(
        users.map((user) =>
          http().patch('/api/users/me').set(bearer(user)).send({ email, currentPassword: GOOD_PASSWORD }),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409]);
      const winner = users[responses.findIndex((response) => response.status === 200)];
      const me = await http().get('/api/users/me').set(bearer(winner)).expect(200);
      expect(me.body.data.email).toBe(email);
    });

    it('needs currentPassword to change the email: 400 without it, 400 on it when wrong, nothing changed', async () => {
      const user = await registerUser(app);
      const email = uniqueEmail('moved');
      const missing = await http().patch('/api/users/me').set(bearer(user)).send({ email }).expect(400);
      expect(missing.body.errors).toEqual([{ field: 'currentPassword', message: 'is required' }]);
      const wrong = await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ email, currentPassword: 'wrong-password-entirely' })
        .expect(400);
      expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: 'is not the current password' }]);
      // A taken address is not revealed to a caller without the password.
      const other = await registerUser(app);
      await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ email: other.email, currentPassword: 'wrong-password-entirely' })
        .expect(400);
      const me = await http().get('/api/users/me').set(bearer(user)).expect(200);
      expect(me.body.data.email).toBe(user.email);
      // The name alone needs no password.
      await http().patch('/api/users/me').set(bearer(user)).send({ name: 'Ada' }).expect(200);
    });

    it('stores the email normalized and refuses hidden characters', async () => {
      const user = await registerUser(app);
      const local = uniqueEmail('Straße').split('@')[0];
      const response = await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ email: `${local.toUpperCase()}@ＥＸＡＭＰＬＥ.com`, currentPassword: GOOD_PASSWORD })
        .expect(200);
      expect(response.body.data.email).toBe(`${local.toLowerCase().replace('ß', 'ss')}@example.com`);
      const hidden = await http()
        .patch('/api/users/me')
        .set(bearer(user))
        .send({ email: `a\u200Bb@example.com`, currentPassword: GOOD_PASSWORD })
        .expect(400);
      expect(hidden.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
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
    const change = (accessToken: string, body: object) =>
      http().post('/api/users/me/password').set('Authorization', `Bearer ${accessToken}`).send(body);

    it('is a 400 validation problem on currentPassword for a wrong one (not a 401), and changes nothing', async () => {
      const user = await registerUser(app);
      const response = await change(user.accessToken, {
        currentPassword: 'wrong-password-entirely',
        newPassword: NEW_PASSWORD,
      }).expect(400);
      expect(response.body).toMatchObject({
        type: '/problems/validation-error',
        errors: [{ field: 'currentPassword', message: expect.any(String) }],
      });
      expect(response.headers['www-authenticate']).toBeUndefined();
      await http().get('/api/users/me').set(bearer(user)).expect(200);
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(200);
    });

    it('is 200 with tokens of a new session; every other session ends at once; only the new password logs in', async () => {
      const user = await registerUser(app);
      const other = (
        await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(200)
      ).body.data.tokens;
      await http().get('/api/users/me').set('Authorization', `Bearer ${other.accessToken}`).expect(200);

      const response = await change(user.accessToken, {
        currentPassword: GOOD_PASSWORD,
        newPassword: NEW_PASSWORD,
      }).expect(200);
      expect(response.headers['cache-control']).toContain('no-store');
      const tokens = response.body.data.tokens;
      expect(tokens).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
      });

      // The caller's old session ends too; the new one works and refreshes.
      await http().get('/api/users/me').set(bearer(user)).expect(401);
      await http().get('/api/users/me').set('Authorization', `Bearer ${other.accessToken}`).expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: user.refreshToken }).expect(401);
      await http().post('/api/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
      const me = await http().get('/api/users/me').set('Authorization', `Bearer ${tokens.accessToken}`).expect(200);
      expect(me.body.data.id).toBe(user.id);
      await http().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(200);
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(401);
      await http().post('/api/auth/login').send({ email: user.email, password: NEW_PASSWORD }).expect(200);
    });

    it('is 400 for a new password that is too short or too common', async () => {
      const user = await registerUser(app);
      for (const newPassword of ['short', 'password123']) {
        const response = await change(user.accessToken, { currentPassword: GOOD_PASSWORD, newPassword }).expect(400);
        expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(['newPassword']);
      }
    });

    it.each([
      ['a missing current password', { newPassword: NEW_PASSWORD }, 'currentPassword'],
      ['a non-string current password', { currentPassword: 12345678, newPassword: NEW_PASSWORD }, 'currentPassword'],
      [
        'an oversized current password',
        { currentPassword: 'x'.repeat(10_000), newPassword: NEW_PASSWORD },
        'currentPassword',
      ],
      ['an extra field', { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD, userId: 'x' }, 'userId'],
    ])('is 400 for %s', async (_name, body, field) => {
      const user = await registerUser(app);
      const response = await change(user.accessToken, body).expect(400);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
      await http().get('/api/users/me').set(bearer(user)).expect(200);
    });

    it('is 401 without a token, or with the token of a session that ended', async () => {
      const user = await registerUser(app);
      await http()
        .post('/api/users/me/password')
        .send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(401);
      await http().post('/api/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);
      await change(user.accessToken, { currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }).expect(401);
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

describe('Password change rate limits (e2e)', () => {
  let app: INestApplication<App>;
  afterEach(async () => {
    await app.close();
  });

  it('limits failed attempts per account: 429 with Retry-After, even with the right password, other users unaffected', async () => {
    app = await createTestApp({ RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '2' });
    const http = () => request(app.getHttpServer());
    const [user, bystander] = [await registerUser(app), await registerUser(app)];
    const attempt = (accessToken: string, currentPassword: string) =>
      http()
        .post('/api/users/me/password')
        .set('Authorization', `Bearer ${accessToken}`)
        .send({ currentPassword, newPassword: NEW_PASSWORD });

    await attempt(user.accessToken, 'guess-number-one').expect(400);
    await attempt(user.accessToken, 'guess-number-two').expect(400);
    const limited = await attempt(user.accessToken, GOOD_PASSWORD).expect(429);
    expect(limited.body.type).toBe('/problems/rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.detail).toMatch(new RegExp(`try again in ${limited.headers['retry-after']} seconds?$`));
    // Another session of the same account is the same bucket.
    const second = (
      await http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD }).expect(200)
    ).body.data.tokens;
    await attempt(second.accessToken, GOOD_PASSWORD).expect(429);
    await http().post('/api/auth/login').send({ email: user.email, password: NEW_PASSWORD }).expect(401);

    await attempt(bystander.accessToken, GOOD_PASSWORD).expect(200);
  });

  it('limits requests per client IP like login', async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '2' });
    const http = () => request(app.getHttpServer());
    const users = [await registerUser(app), await registerUser(app)];
    // Registration used this IP's separate register bucket; the password route has its own.
    await http().post('/api/users/me/password').set(bearer(users[0])).send({}).expect(400);
    await http().post('/api/users/me/password').set(bearer(users[1])).send({}).expect(400);
    await http().post('/api/users/me/password').set(bearer(users[1])).send({}).expect(429);
  });
});
