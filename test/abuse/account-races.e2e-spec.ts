import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { bearer, GOOD_PASSWORD, registerUser, type TestUser } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NEW_PASSWORD = 'another-Plausible-Walrus-77';
const TRIES = 8;
/** Each race runs TRIES times with a dozen argon2 checks each: slow on a loaded machine. */
const RACE_TIMEOUT_MS = 90_000;

/**
 * Account state changed while a login or a bulk write is in flight. Each race
 * is run several times: the interleaving is not chosen, only made likely (the
 * login's password check takes as long as the change's hash).
 */
describe('Account-state races (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // No limit gets in the way: these tests sign in many times from one address.
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '100000', RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '100000' });
  });

  afterAll(async () => {
    await app.close();
  });

  /** Whether a login's tokens still work: its access token and its refresh token. */
  async function stillSignedIn(tokens: { accessToken: string; refreshToken: string }): Promise<boolean> {
    const session = await http().get('/api/auth/session').set('Authorization', `Bearer ${tokens.accessToken}`);
    const refresh = await http().post('/api/auth/refresh').send({ refreshToken: tokens.refreshToken });
    return session.status === 200 || refresh.status === 200;
  }

  it(
    'a login racing a password change never keeps a session after the change',
    async () => {
      let survivors = 0;
      for (let i = 0; i < TRIES; i++) {
        const user: TestUser = await registerUser(app);
        const change = http()
          .post('/api/users/me/password')
          .set(bearer(user))
          .send({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD });
        // Logins started over the change's whole run: one is likely to check the old password just
        // before the new one is stored and to create its session just after the old ones were revoked.
        const logins = Array.from({ length: 10 }, (_, n) =>
          delay(n * 8).then(() => http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD })),
        );
        const [changed, ...answers] = await Promise.all([change, ...logins]);
        expect(changed.status).toBe(200);
        for (const login of answers) {
          expect([200, 401]).toContain(login.status);
          if (login.status === 200 && (await stillSignedIn(login.body.data.tokens))) survivors++;
        }
        // The session the change handed out does work.
        expect(await stillSignedIn(changed.body.data.tokens)).toBe(true);
      }
      expect(survivors).toBe(0);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    'a login racing the account deletion gets 200 or 401, never a 500, and no session outlives the account',
    async () => {
      const statuses: number[] = [];
      for (let i = 0; i < TRIES; i++) {
        const user = await registerUser(app);
        const logins = Array.from({ length: 6 }, (_, n) =>
          delay(n * 5).then(() => http().post('/api/auth/login').send({ email: user.email, password: GOOD_PASSWORD })),
        );
        const [removal, ...answers] = await Promise.all([http().delete('/api/users/me').set(bearer(user)), ...logins]);
        expect(removal.status).toBe(204);
        for (const login of answers) {
          statuses.push(login.status);
          if (login.status === 200) expect(await stillSignedIn(login.body.data.tokens)).toBe(false);
        }
      }
      expect(statuses.filter((status) => status !== 200 && status !== 401)).toEqual([]);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    'an account deletion racing complete-all neither deadlocks nor fails',
    async () => {
      const bulk = (user: TestUser) =>
        http().post('/api/tasks/complete-all').set(bearer(user)).send({ completed: false });
      const dataSource = app.get(DataSource);
      const answers: number[][] = [];
      for (let i = 0; i < TRIES; i++) {
        const user = await registerUser(app);
        await dataSource.query(
          `INSERT INTO tasks (user_id, created_by, list_id, title, completed, completed_at)
           SELECT $1, $1, l.id, 'Task ' || n, true, now()
             FROM lists l, generate_series(1, 400) AS n WHERE l.owner_id = $1 AND l.is_default`,
          [user.id],
        );
        const [written, removal] = await Promise.all([bulk(user), http().delete('/api/users/me').set(bearer(user))]);
        answers.push([written.status, removal.status]);
      }
      // The bulk write may also find the account gone (401: its token no longer names a user).
      for (const [written, removal] of answers) {
        expect([200, 401]).toContain(written);
        expect(removal).toBe(204);
      }
    },
    RACE_TIMEOUT_MS,
  );
});
