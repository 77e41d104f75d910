import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { PasswordHasher } from '../../src/auth/password-hasher.service.js';
import { registerUser, uniqueEmail } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

describe('POST /api/auth/login (e2e)', () => {
  let app: INestApplication<App>;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const login = (email: string, password: string) =>
    request(app.getHttpServer()).post('/api/auth/login').set('X-Request-Id', 'same-id').send({ email, password });

  it('answers an unknown email exactly as a wrong password (no user enumeration)', async () => {
    const user = await registerUser(app);
    const wrongPassword = await login(user.email, 'not-the-password');
    const unknownEmail = await login(uniqueEmail('nobody'), 'not-the-password');

    for (const response of [wrongPassword, unknownEmail]) expect(response.status).toBe(401);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    const headers = (response: request.Response) => {
      // The rate-limit counters differ by design (per account); everything else must not.
      const { date: _d, ratelimit: _r, 'ratelimit-policy': _p, ...rest } = response.headers;
      return rest;
    };
    expect(headers(unknownEmail)).toEqual(headers(wrongPassword));
    expect(wrongPassword.body.detail).toBe('Invalid email or password');
  });

  // What keeps the two answers equally slow, checked by the calls made rather than by a clock
  // (wall time on a shared CI machine says more about its load than about the code).
  it('spends one argon2 verify on an unknown email, as on a wrong password', async () => {
    const user = await registerUser(app);
    const verifications = jest.spyOn(app.get(PasswordHasher), 'verify');
    try {
      await login(user.email, 'not-the-password').expect(401);
      await login(uniqueEmail('nobody'), 'not-the-password').expect(401);
      expect(verifications.mock.calls).toEqual([
        [expect.stringMatching(/^\$argon2id\$/), 'not-the-password'],
        [undefined, 'not-the-password'],
      ]);
    } finally {
      verifications.mockRestore();
    }
  });

  it('verifies the password exactly as sent (no trimming, no case folding)', async () => {
    const user = await registerUser(app);
    await login(user.email, ` ${user.password}`).expect(401);
    await login(user.email, user.password.toUpperCase()).expect(401);
    await login(` ${user.email.toUpperCase()} `, user.password).expect(200);
  });

  it('is 400 for a password over 128 characters, before any hashing', async () => {
    const user = await registerUser(app);
    await login(user.email, 'x'.repeat(129)).expect(400);
  });
});
