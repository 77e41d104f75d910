import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { GOOD_PASSWORD } from '../helpers/fixtures.js';
import { type JwksIssuer, startJwksIssuer } from '../helpers/jwks-issuer.js';
import { createTestApp } from '../helpers/test-app.js';

const AUDIENCE = 'taskwell-api';

/** The email an identity provider vouches for is normalized like any other before it is stored or compared. */
describe('Emails from identity providers (e2e)', () => {
  let issuer: JwksIssuer;
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());
  const me = (token: string) => http().get('/api/users/me').set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    issuer = await startJwksIssuer(AUDIENCE);
    app = await createTestApp({
      TRUSTED_ISSUERS: JSON.stringify([
        { issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: AUDIENCE, algorithms: ['RS256'], trustEmail: true },
      ]),
    });
  });
  afterAll(async () => {
    await app.close();
    await issuer.close();
  });

  const local = () => `strasse.${randomUUID().slice(0, 8)}`;

  it('stores a verified email in its normalized form', async () => {
    const name = local();
    const token = await issuer.sign({
      sub: randomUUID(),
      email: `${name.toUpperCase()}@ＥＸＡＭＰＬＥ.com`,
      email_verified: true,
    });
    const response = await me(token).expect(200);
    expect(response.body.data.email).toBe(`${name}@example.com`);
  });

  it('matches a look-alike of a registered address: 409, no second account', async () => {
    const name = local();
    await http()
      .post('/api/auth/register')
      .send({ email: `${name}@example.com`, password: GOOD_PASSWORD })
      .expect(201);
    const token = await issuer.sign({
      sub: randomUUID(),
      email: `${name.replace('strasse', 'STRAẞE')}@example.com`,
      email_verified: true,
    });
    const response = await me(token).expect(409);
    expect(response.body.detail).toMatch(/link this identity/);
  });

  it('keeps no email that holds a hidden character', async () => {
    const token = await issuer.sign({
      sub: randomUUID(),
      email: `a\u200B${local()}@example.com`,
      email_verified: true,
    });
    const response = await me(token).expect(200);
    expect(response.body.data.email).toBeNull();
  });
});
