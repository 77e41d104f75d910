import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BuiltService } from '../helpers/built-service.js';
import { sleep } from '../helpers/http.js';
import { GRACE_MS, howItStopped, newAccountToken, sendSigterm, startForShutdown } from '../helpers/shutdown.js';

/** SIGTERM as an orchestrator sends it during a rolling deploy. */
describe('Graceful shutdown (e2e, built service)', () => {
  let service: BuiltService;

  beforeAll(async () => {
    service = await startForShutdown();
  }, 60_000);
  afterAll(async () => {
    await service?.dispose();
  });

  it('finishes the request in flight, refuses new connections, and exits 0', async () => {
    const token = await newAccountToken(service);

    // A client that is slow to send its body keeps its request in flight for as long as we like.
    const body = JSON.stringify({ title: 'Sent across a shutdown' });
    const inFlight = startSlowPost(`${service.baseUrl}/api/tasks`, body, token);
    inFlight.send(body.slice(0, 10));
    await sleep(200);

    const signalledAt = await sendSigterm(service);
    await expect(newConnection(service.baseUrl)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await sleep(300); // still in flight after the signal
    inFlight.send(body.slice(10), true);
    const response = await inFlight.response;
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body).data).toMatchObject({ title: 'Sent across a shutdown' });

    const stopped = await howItStopped(service, signalledAt);
    expect(stopped.exit).toEqual({ code: 0, signal: null });
    expect(stopped.tookMs).toBeLessThan(GRACE_MS);
    expect(stopped.stoppedCleanly).toBe(true);
  });
});

function startSlowPost(url: string, body: string, token: string) {
  const request = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      Authorization: `Bearer ${token}`,
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (incoming) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body: text }));
    });
  });
  return {
    response,
    send(part: string, last = false) {
      if (last) request.end(part);
      else request.write(part);
    },
  };
}

/** A fresh TCP connection (no keep-alive reuse), to see whether the port still accepts. */
function newConnection(baseUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${baseUrl}/health/live`, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}
