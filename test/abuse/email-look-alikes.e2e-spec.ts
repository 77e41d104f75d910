import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { GOOD_PASSWORD } from '../helpers/fixtures.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * Spellings of a registered address that a reader takes for it: never a
 * second account, and never a fresh bucket of login attempts.
 */
describe('Email look-alikes (e2e)', () => {
  let app: INestApplication<App>;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_AUTH_PER_MINUTE: '100000', RATE_LIMIT_LOGIN_FAILURES_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await app.close();
  });

  /** A fresh address whose local part holds an `i` and an `ss`, to be spelled in other ways. */
  function address(): string {
    return `alice.strasse.${Math.random().toString(36).slice(2, 10)}@example.com`;
  }

  const register = (email: string) => http().post('/api/auth/register').send({ email, password: GOOD_PASSWORD });
  const login = (email: string, password = GOOD_PASSWORD) => http().post('/api/auth/login').send({ email, password });

  it('answers 409 to every visible variant and signs in with each', async () => {
    const email = address();
    const created = await register(email).expect(201);
    expect(created.body.data.user.email).toBe(email);
    const [local, domain] = email.split('@');
    const fullwidth = (text: string) =>
      [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    const variants = [
      email.toUpperCase(),
      `${fullwidth(local)}@${domain}`,
      email.replace('alice', 'alıce'), // dotless i
      email.replace('strasse', 'straße'),
      email.replace('strasse', 'STRAẞE'),
    ];
    for (const variant of variants) {
      const second = await register(variant);
      expect({ variant, status: second.status }).toEqual({ variant, status: 409 });
      const signedIn = await login(variant);
      expect({ variant, status: signedIn.status }).toEqual({ variant, status: 200 });
      expect(signedIn.body.data.user.id).toBe(created.body.data.user.id);
    }
  });

  it('refuses variants with a hidden character (400 on email), at registration and login', async () => {
    const email = address();
    await register(email).expect(201);
    const variants = [
      email.replace('alice', 'alİce'), // İ leaves a combining dot above
      email.replace('alice', 'al\u200Bice'), // zero-width space
      email.replace('alice', 'al\u00ADice'), // soft hyphen
      email.replace('alice', 'al\u2060ice'), // word joiner
    ];
    for (const variant of variants) {
      for (const response of [await register(variant), await login(variant)]) {
        expect(response.status).toBe(400);
        expect(response.body.errors).toEqual([expect.objectContaining({ field: 'email' })]);
      }
    }
  });

  it('counts failed logins of every spelling in one bucket', async () => {
    const email = address();
    await register(email).expect(201);
    for (const variant of [email.toUpperCase(), email.replace('alice', 'alıce'), email.replace('strasse', 'straße')]) {
      await login(variant, 'wrong-password-entirely').expect(401);
    }
    const limited = await login(`ａ${email.slice(1)}`);
    expect(limited.status).toBe(429);
    expect(limited.body.type).toBe('/problems/rate-limited');
  });
});
