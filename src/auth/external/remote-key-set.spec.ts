import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { RemoteKeySet } from './remote-key-set.js';

const TIMING = { timeoutMs: 1000, refreshMs: 60_000, cooldownMs: 10_000, maxStaleMs: 300_000 };

describe(RemoteKeySet.name, () => {
  let server: Server;
  let uri: string;
  let served: object;
  let fetches: number;
  let down: boolean;
  let now: number;
  let sign: (kid: string) => Promise<string>;
  let keys: RemoteKeySet;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = await exportJWK(publicKey);
    served = { keys: [{ ...jwk, kid: 'k1' }] };
    sign = (kid) => new SignJWT({ sub: 's' }).setProtectedHeader({ alg: 'EdDSA', kid }).sign(privateKey);
    server = createServer((_request, response) => {
      fetches++;
      if (down) return void response.writeHead(503).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    fetches = 0;
    down = false;
    now = 1_000_000;
    keys = new RemoteKeySet(uri, TIMING, () => now);
  });

  const verify = async (kid: string) =>
    jwtVerify(await sign(kid), keys.getKey).then(
      () => true,
      () => false,
    );

  it('fetches once and keeps the keys until they are due for a refresh', async () => {
    expect(await verify('k1')).toBe(true);
    now += 59_000;
    expect(await verify('k1')).toBe(true);
    expect(fetches).toBe(1);
    now += 2_000;
    expect(await verify('k1')).toBe(true);
    expect(fetches).toBe(2);
  });

  it('refetches for an unknown kid at most once per cool-down, however many arrive', async () => {
    expect(await verify('k1')).toBe(true);
    now += 10_000;
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => verify(`unknown-${n}`)));
    expect(results.every((result) => !result)).toBe(true);
    expect(fetches).toBe(2);
    expect(await verify('unknown-again')).toBe(false);
    expect(fetches).toBe(2);
  });

  it('keeps held keys while the endpoint is down, up to maxStaleMs after the last success, then recovers', async () => {
    expect(await verify('k1')).toBe(true);
    down = true;
    now += 120_000; // due for a refresh, which fails
    expect(await verify('k1')).toBe(true);
    now += 1_000; // within the cool-down: no new attempt
    expect(await verify('k1')).toBe(true);
    expect(fetches).toBe(2);
    now = 1_000_000 + 300_000; // maxStaleMs after the last success
    expect(await verify('k1')).toBe(false);
    down = false;
    now += 10_000;
    expect(await verify('k1')).toBe(true);
  });

  it('never uses a private or symmetric key from the set', async () => {
    const previous = served;
    served = { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'k1' }] };
    try {
      expect(await verify('k1')).toBe(false);
    } finally {
      served = previous;
    }
  });
});
