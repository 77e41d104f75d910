import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { ChangeWrites } from '../helpers/change-writes.js';
import { bearer, registerUser, type TestUser } from '../helpers/fixtures.js';
import { sleep } from '../helpers/http.js';
import { createTestApp } from '../helpers/test-app.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * With WEBHOOKS_ALLOW_PRIVATE_TARGETS off (the default, in every mode), a
 * delivery to plain http or to a loopback, private, link-local or metadata
 * address is `refused`, once, and nothing reaches the target, even a
 * receiver the service would otherwise trust.
 */
describe('Webhook targets (e2e, private targets not allowed)', () => {
  let receiver: WebhookReceiver;
  let app: INestApplication<App>;
  let writes: ChangeWrites;
  let owner: TestUser;
  let listId: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    app = await createTestApp({
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'false',
      WEBHOOKS_TLS_CA_FILE: receiver.caFile,
      WEBHOOKS_POLL_MS: '100',
      WEBHOOKS_RETRY_SCHEDULE: '100ms',
      WEBHOOKS_TIMEOUT_MS: '1000',
      WEBHOOKS_MAX_PER_LIST: '20',
    });
    writes = new ChangeWrites(app);
    owner = await registerUser(app, 'Owner');
    listId = (
      await request(app.getHttpServer()).post('/api/lists').set(bearer(owner)).send({ name: 'Hooked' }).expect(201)
    ).body.data.id as string;
  });
  afterAll(async () => {
    await app.close();
    await receiver.close();
  });

  it('refuses http, loopback (by name and by address), private, link-local, metadata and mapped addresses', async () => {
    const port = receiver.port;
    const targets = [
      receiver.url('/by-name'),
      `https://127.0.0.1:${port}/by-address`,
      `https://[::1]:${port}/v6`,
      `http://127.0.0.1:${port}/plain`,
      'http://example.com/plain',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.1.2.3/private',
      'https://192.168.0.1/private',
      'https://172.16.5.4/private',
      'https://100.100.100.200/metadata',
      `https://[::ffff:127.0.0.1]:${port}/mapped`,
      `https://[fd00:ec2::254]/metadata`,
      `https://0x7f000001:${port}/hex`,
      `https://0.0.0.0:${port}/zero`,
    ];
    const endpoints: { base: string; url: string }[] = [];
    for (const url of targets) {
      const created = await request(app.getHttpServer())
        .post(`/api/lists/${listId}/webhooks`)
        .set(bearer(owner))
        .send({ url, events: ['task.created'] })
        .expect(201);
      endpoints.push({ url, base: `/api/lists/${listId}/webhooks/${created.body.data.id}` });
    }
    await writes.createTask(listId, owner.id, 'Probe');

    const deadline = Date.now() + 8000;
    const logs = new Map<string, Record<string, any>>();
    while (logs.size < endpoints.length && Date.now() < deadline) {
      for (const endpoint of endpoints) {
        const page = await request(app.getHttpServer())
          .get(`${endpoint.base}/deliveries`)
          .set(bearer(owner))
          .expect(200);
        if (page.body.data[0] && page.body.data[0].status !== 'pending') logs.set(endpoint.url, page.body.data[0]);
      }
      await sleep(100);
    }
    await sleep(500); // the schedule's 100 ms would have brought a retry by now
    for (const endpoint of endpoints) {
      const page = await request(app.getHttpServer()).get(`${endpoint.base}/deliveries`).set(bearer(owner)).expect(200);
      expect({ url: endpoint.url, ...page.body.data[0] }).toMatchObject({
        url: endpoint.url,
        status: 'refused',
        attempts: 1,
        lastStatusCode: null,
        nextAttemptAt: null,
      });
      expect(page.body.data[0].lastError).toEqual(expect.any(String));
      // A refusal is the target's fault, not the endpoint's: it stays on.
      const got = await request(app.getHttpServer()).get(endpoint.base).set(bearer(owner)).expect(200);
      expect(got.body.data.enabled).toBe(true);
    }
    expect(receiver.received).toHaveLength(0);
  });
});
