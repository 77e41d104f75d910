import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { DataSource } from 'typeorm';
import { ListAccess } from '../../src/lists/list-access.js';
import { bearer, registerUser } from '../helpers/fixtures.js';
import { type JwksIssuer, startJwksIssuer } from '../helpers/jwks-issuer.js';
import { createTestApp } from '../helpers/test-app.js';

const AUDIENCE = 'taskwell-api';

/** The default list comes with every account, whichever way it is made, and goes with it. */
describe('Lists through an account’s life (e2e)', () => {
  let issuer: JwksIssuer;
  let app: INestApplication<App>;

  beforeAll(async () => {
    issuer = await startJwksIssuer(AUDIENCE);
    app = await createTestApp({
      TRUSTED_ISSUERS: JSON.stringify([
        { issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: AUDIENCE, algorithms: ['RS256'] },
      ]),
    });
  });
  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  const defaultLists = async (userId: string) =>
    app
      .get(DataSource)
      .query<{ id: string; name: string }[]>(`SELECT id, name FROM lists WHERE owner_id = $1 AND is_default`, [userId]);

  it('an identity provider’s first token makes the account with its Inbox, once, however many requests race', async () => {
    const token = await issuer.sign({ sub: `ext-${randomUUID()}`, name: 'Ext' });
    const responses = await Promise.all(
      [1, 2, 3, 4].map(() =>
        request(app.getHttpServer())
          .get('/api/lists')
          .set({ Authorization: `Bearer ${token}` }),
      ),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([expect.objectContaining({ name: 'Inbox', isDefault: true, role: 'owner' })]);
    }
    const ownerId = responses[0].body.data[0].ownerId as string;
    expect(await defaultLists(ownerId)).toHaveLength(1);
  });

  it('registration makes the Inbox with its counters row, in the account’s transaction', async () => {
    const user = await registerUser(app);
    const [inbox] = await defaultLists(user.id);
    const counters = await app
      .get(DataSource)
      .query(`SELECT tasks, completed FROM list_counters WHERE list_id = $1`, [inbox.id]);
    expect(counters).toEqual([{ tasks: 0, completed: 0 }]);
    expect(await app.get(ListAccess).defaultListOf(user.id)).toBe(inbox.id);
  });

  it('deleting the account removes its Inbox and forgets the memberships others had in lists that went', async () => {
    const [leaving, viewer] = [await registerUser(app), await registerUser(app)];
    const list = (await request(app.getHttpServer()).post('/api/lists').set(bearer(leaving)).send({ name: 'L' })).body
      .data;
    const { token } = (
      await request(app.getHttpServer())
        .post(`/api/lists/${list.id}/invitations`)
        .set(bearer(leaving))
        .send({ role: 'viewer' })
    ).body.data;
    await request(app.getHttpServer()).post('/api/invitations/accept').set(bearer(viewer)).send({ token }).expect(200);
    // Remembered: the viewer's memberships include the list.
    expect((await app.get(ListAccess).memberships(viewer.id)).get(list.id)).toBe('viewer');

    await request(app.getHttpServer()).delete('/api/users/me').set(bearer(leaving)).expect(204);

    expect(await defaultLists(leaving.id)).toEqual([]);
    // Only viewers were left: the list went, and the viewer's remembered membership with it, at once.
    expect((await app.get(ListAccess).memberships(viewer.id)).has(list.id)).toBe(false);
    await expect(app.get(ListAccess).defaultListOf(leaving.id)).rejects.toMatchObject({ status: 404 });
  });
});
