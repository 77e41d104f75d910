import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BuiltService, ensureBuilt, suiteEnv } from '../helpers/built-service.js';
import { GOOD_PASSWORD, uniqueEmail } from '../helpers/fixtures.js';
import { eventually, postJson } from '../helpers/http.js';
import { TestHaproxy } from '../helpers/haproxy.js';
import { TestNginx } from '../helpers/nginx.js';
import { openStream } from '../helpers/sse-client.js';

const HEARTBEAT_MS = 500;

/**
 * GET /api/events through the proxies of deploy/ (haproxy.cfg, nginx.conf), each run for real with
 * only its addresses and ports changed: the first comment, every event and every keep-alive
 * comment pass at once, unbuffered.
 */
describe('Event streams through the deploy/ proxies (e2e, built service)', () => {
  let service: BuiltService;
  let haproxy: TestHaproxy;
  let nginx: TestNginx;
  let haproxyUp = false;

  beforeAll(async () => {
    ensureBuilt();
    service = await BuiltService.start({
      ...suiteEnv(),
      EVENTS_HEARTBEAT_MS: String(HEARTBEAT_MS),
    });
    [haproxy, nginx] = await Promise.all([TestHaproxy.start([service.baseUrl]), TestNginx.start([service.baseUrl])]);
    // HAProxy takes an instance into rotation after its first health check.
    await eventually(
      () => {
        void fetch(`${haproxy.baseUrl}/health/ready`).then((response) => (haproxyUp ||= response.ok));
        return haproxyUp ? true : undefined;
      },
      10_000,
      'the instance in rotation',
    );
  }, 90_000);
  afterAll(async () => {
    await haproxy?.stop();
    await nginx?.stop();
    await service?.dispose();
  });

  for (const proxy of ['haproxy', 'nginx'] as const) {
    it(`passes the first comment at once, then each event and keep-alive as it comes (${proxy})`, async () => {
      const base = proxy === 'haproxy' ? haproxy.baseUrl : nginx.baseUrl;
      const registered = await postJson(`${base}/api/auth/register`, { email: uniqueEmail(), password: GOOD_PASSWORD });
      expect(registered.status).toBe(201);
      const auth = { Authorization: `Bearer ${registered.body.data.tokens.accessToken}` };

      const opened = Date.now();
      const stream = await openStream(`${base}/api/events`, auth);
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
        await eventually(
          () => (stream.text().startsWith(': connected\n') ? true : undefined),
          1000,
          'the first comment',
        );
        expect(Date.now() - opened).toBeLessThan(1000);

        const written = Date.now();
        const task = await postJson(`${base}/api/tasks`, { title: `through ${proxy}` }, auth);
        expect(task.status).toBe(201);
        const event = await stream.nextEvent(1, 2000);
        expect(Date.now() - written).toBeLessThan(2000);
        expect((JSON.parse(event.data) as { id: string }[]).map((change) => change.id)).toEqual([task.body.data.id]);

        // A lone comment is not held back either (a buffering proxy would wait for more).
        const comments = stream.comments.length;
        await eventually(
          () => (stream.comments.length > comments ? true : undefined),
          HEARTBEAT_MS * 4,
          'a keep-alive comment',
        );
      } finally {
        stream.close();
      }
    });
  }
});
