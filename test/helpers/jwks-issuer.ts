import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTHeaderParameters, type JWTPayload, SignJWT } from 'jose';

export interface JwksIssuer {
  issuer: string;
  jwksUri: string;
  kid: string;
  /** JWKS requests served so far, failed ones included. */
  fetches: number;
  /** While down, the JWKS endpoint answers 503. */
  down: boolean;
  /** A token signed with this issuer's key (RS256): iss, aud, sub, iat and a 5-minute exp unless overridden. */
  sign(claims?: JWTPayload, header?: Partial<JWTHeaderParameters>): Promise<string>;
  close(): Promise<void>;
}

/** An identity provider of our own making: an RSA key (jose) and a local JWKS server that counts its requests. */
export async function startJwksIssuer(audience: string, issuer = 'https://rs256.issuer.test/'): Promise<JwksIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `rsa-${Math.random().toString(36).slice(2)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const state = { fetches: 0, down: false };
  const server: Server = createServer((_request, response) => {
    state.fetches++;
    if (state.down) return void response.writeHead(503).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    issuer,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    kid,
    get fetches() {
      return state.fetches;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    sign: (claims = {}, header = {}) => {
      const now = Math.floor(Date.now() / 1000);
      // A jti of its own: two tokens signed in the same second still differ (the API caches by token).
      const defaults = { sub: 'rsa-user', iss: issuer, aud: audience, iat: now, exp: now + 300, jti: randomUUID() };
      return new SignJWT({ ...defaults, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header })
        .sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
