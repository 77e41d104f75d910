import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { bearer, GOOD_PASSWORD, registerUser, uniqueEmail } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/** `PATCH /api/users/me {email}` says whether an address is registered: it must not check addresses in bulk. */
describe('Email-change probing (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_EMAIL_CHANGES_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('limits email changes per account, failed or not, even with the right password', async () => {
    const prober = await registerUser(app);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await http()
        .patch('/api/users/me')
        .set(bearer(prober))
        .send({ email: uniqueEmail('candidate'), currentPassword: GOOD_PASSWORD });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    // The name is still writable, and another account is not affected.
    await http().patch('/api/users/me').set(bearer(prober)).send({ name: 'Still me' }).expect(200);
    const other = await registerUser(app);
    await http()
      .patch('/api/users/me')
      .set(bearer(other))
      .send({ email: uniqueEmail('free'), currentPassword: GOOD_PASSWORD })
      .expect(200);
  });

  it('limits wrong passwords on email changes too', async () => {
    const prober = await registerUser(app);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await http()
        .patch('/api/users/me')
        .set(bearer(prober))
        .send({ email: uniqueEmail('candidate'), currentPassword: `guess-${i}-password` });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
  });
});
