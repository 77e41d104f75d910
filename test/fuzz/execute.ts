import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { accessTokenLike, claimsOf, signJwt } from '../helpers/jwt-forge.js';
import { checkContractWide, ContractViolation, erroredFields, problemSlug, violated } from './contract-rules.js';
import type { Auth, HostileRequest, PathValue } from './hostile-request.js';
import { NoAnswer, send, type Answer } from './http-client.js';
import { CONDITIONAL_ROUTES, methodsAt, ROUTES } from './routes.js';
import type { FuzzTarget } from './target.js';

const LOOSE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The service's CORS_ORIGINS in the fuzz target (target.ts). */
const ALLOWED_ORIGINS = ['https://app.example.com'];
const STANDARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What the contract's order of checks (401, 400 path, 403, 404, 412, body) says the answer must be. */
interface Expectation {
  rule: string;
  statuses?: number[];
  notStatuses?: number[];
  slug?: string;
  fields?: string[];
}

interface Wire {
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Sends one hostile request and checks the answer against the contract; throws a ContractViolation. */
export async function execute(request: HostileRequest, target: FuzzTarget): Promise<void> {
  const wire = await resolve(request, target);
  let answer: Answer;
  try {
    answer = await send(target.baseUrl, request.method, wire.path, wire.headers, wire.body);
  } catch (error) {
    if (await target.hasDied(200)) violated('process died', `${summary(request, wire)}\n${target.recentOutput()}`);
    // A client that sends more than the limit may be cut off once the answer is written.
    if (error instanceof NoAnswer && error.reason === 'reset' && request.body?.verdict.kind === 'too-large') return;
    throw new ContractViolation(
      error instanceof NoAnswer ? `no answer (${error.reason})` : 'client error',
      `${String(error)}\n${summary(request, wire)}`,
    );
  }
  // First: what the request did stays known to the harness even when the answer breaks a rule.
  keepBooks(request, answer, target);
  try {
    check(request, wire, answer);
  } catch (error) {
    if (error instanceof ContractViolation) {
      error.message += `\n${summary(request, wire)}`;
    }
    throw error;
  }
}

function check(request: HostileRequest, wire: Wire, answer: Answer): void {
  const path = wire.path.split('?')[0];
  checkContractWide(answer.status, answer.headers, answer.text, {
    method: request.method,
    path,
    requestId: request.headers?.['X-Request-Id'],
  });
  const expected = expectation(request, wire);
  if (expected) {
    const { status, text } = answer;
    const got = `${status} ${text.slice(0, 300)}`;
    if (expected.statuses && !expected.statuses.includes(status)) violated(expected.rule, `got ${got}`);
    if (expected.notStatuses?.includes(status)) violated(expected.rule, `got ${got}`);
    if (expected.slug && problemSlug(text) !== expected.slug) violated(expected.rule, `got ${got}`);
    const listed = erroredFields(text);
    const missing = (expected.fields ?? []).filter((field) => !listed.some((name) => fieldCovers(name, field)));
    if (missing.length > 0) violated(`${expected.rule} (errors[] names ${missing.join(', ')})`, `got ${got}`);
  }
  const origin = request.headers?.Origin;
  if (origin !== undefined) {
    const allowed = ALLOWED_ORIGINS.includes(origin);
    const granted = answer.headers['access-control-allow-origin'];
    if (!allowed && granted !== undefined) violated('CORS header for a foreign origin', `${origin} got ${granted}`);
    const preflight = request.method === 'OPTIONS' && request.headers?.['Access-Control-Request-Method'] !== undefined;
    if (preflight && answer.status === 405) violated('a CORS preflight is answered 405', `from ${origin}`);
    if (preflight && allowed && granted !== origin)
      violated('an allowed preflight without CORS headers', `${origin} got ${granted}`);
  }
  if (request.expectStored && answer.status < 300) {
    const { field, value } = request.expectStored;
    const stored = (JSON.parse(answer.text) as { data: Record<string, unknown> }).data[field];
    if (!isDeepStrictEqual(stored, value))
      violated(
        'accepted text stored altered',
        `${field}: sent ${JSON.stringify(value)}, stored ${JSON.stringify(stored)}`,
      );
  }
  if (request.target.kind === 'route') {
    const route = ROUTES[request.target.route];
    const tokensOut = route.public && answer.status < 300 && /"accessToken"/.test(answer.text);
    const authenticated = !route.public && request.auth.kind === 'valid' && answer.status !== 401;
    if ((tokensOut || authenticated) && !/\bno-store\b/.test(String(answer.headers['cache-control'] ?? '')))
      violated('authenticated answer without Cache-Control: no-store', `${answer.status} ${answer.text.slice(0, 200)}`);
  }
}

/** `tags.0` covers `tags`; a listed parent (`body`) covers any of its fields. */
function fieldCovers(listed: string, expected: string): boolean {
  return listed === expected || listed.startsWith(`${expected}.`) || listed.startsWith(`${expected}[`);
}

/** Node refuses a request head over 16 KiB before anything else; near the limit, either may happen. */
const HEAD_LIMIT = 16 * 1024;

function expectation(request: HostileRequest, wire: Wire): Expectation | undefined {
  const { target, auth, body } = request;
  const head =
    wire.path.length + Object.entries(wire.headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 0);
  if (head > HEAD_LIMIT) return { rule: 'a request head over 16 KiB is a 431, before anything else', statuses: [431] };
  if (head > HEAD_LIMIT - 1024) return undefined;
  if (target.kind === 'path') {
    // A CORS preflight is answered by the CORS layer for any path (see the CORS rules in check()).
    if (request.method === 'OPTIONS' && request.headers?.['Access-Control-Request-Method'] !== undefined)
      return undefined;
    const methods = methodsAt(target.path.split('?')[0]);
    if (methods === undefined) return undefined;
    if (methods.length === 0) return { rule: 'an unknown path is a 404 with or without a token', statuses: [404] };
    if (!methods.includes(request.method) && STANDARD_METHODS.includes(request.method))
      return { rule: 'a known path with a wrong method is a 405', statuses: [405] };
    return undefined;
  }
  const route = ROUTES[target.route];
  if (!route.public && auth.kind !== 'valid')
    return { rule: 'no valid token is a 401, whatever else is wrong', statuses: [401] };
  const tooLarge = body?.verdict.kind === 'too-large' ? [413] : [];
  const badPath = [
    ['userId', target.userId],
    ['id', target.taskId],
  ].filter(([, value]) => value !== undefined && isMalformed(value as PathValue));
  if (badPath.some(([, value]) => isUncertain(value as PathValue))) return undefined;
  if (badPath.length > 0)
    return {
      rule: 'a malformed path value is a 400 before ownership, existence and body',
      statuses: [400, ...tooLarge],
      slug: tooLarge.length ? undefined : 'validation-error',
      fields: tooLarge.length ? undefined : badPath.map(([name]) => name as string),
    };
  if (target.userId && target.userId.kind !== 'own')
    return { rule: "another user's path is a 403 before existence and body", statuses: [403, ...tooLarge] };
  if (target.taskId && target.taskId.kind !== 'own')
    return { rule: "a task that is not the caller's is a 404 before If-Match and body", statuses: [404, ...tooLarge] };
  if (request.ifMatch && request.ifMatch !== 'any' && CONDITIONAL_ROUTES.includes(target.route))
    return { rule: 'a stale If-Match is a 412 before the body', statuses: [412, ...tooLarge] };
  if (target.queryVerdict?.kind === 'invalid')
    return { rule: 'a bad query parameter is a 400 naming it', statuses: [400], fields: target.queryVerdict.fields };
  switch (body?.verdict.kind) {
    case undefined:
    case 'unknown':
      return undefined;
    case 'valid':
      // A well-formed password change with a wrong current password is a 400 on that field by design.
      if (route.body === 'change-password') return undefined;
      return { rule: 'a valid body passes the body check', notStatuses: [400, 413, 415] };
    case 'malformed':
      return { rule: 'a body that is not JSON is a 400 malformed-request', statuses: [400], slug: 'malformed-request' };
    case 'rejected':
      return { rule: 'a body this API cannot take is a 400', statuses: [400] };
    case 'invalid':
      return {
        rule: 'a body that breaks a rule is a 400 validation-error naming the field',
        statuses: [400],
        slug: 'validation-error',
        fields: body.verdict.fields,
      };
    case 'too-large':
      return { rule: 'a body over the limit is a 413', statuses: [413] };
    case 'unsupported':
      return { rule: 'a body that is not JSON by its type is a 415', statuses: [415] };
  }
}

function decoded(value: PathValue): string | undefined {
  if (value.kind !== 'raw') return 'a0000000-0000-4000-8000-000000000000';
  try {
    return decodeURIComponent(value.segment);
  } catch {
    return undefined;
  }
}

function isMalformed(value: PathValue): boolean {
  const text = decoded(value);
  return text === undefined || !LOOSE_UUID.test(text);
}

/** A raw segment that decodes to something UUID-shaped: whether the service takes it is not modelled. */
function isUncertain(value: PathValue): boolean {
  return value.kind === 'raw' && decoded(value) !== undefined && LOOSE_UUID.test(decoded(value)!);
}

async function resolve(request: HostileRequest, target: FuzzTarget): Promise<Wire> {
  const headers: Record<string, string> = { ...request.headers };
  const authorization = await authorizationOf(request.auth, target);
  if (authorization !== undefined) headers.Authorization = authorization;
  if (request.ifMatch) headers['If-Match'] = { stale: '"0"', any: '*', garbage: 'W/"1", "x"' }[request.ifMatch];

  let body: Buffer | undefined;
  if (request.body) {
    const { text, hex, repeat, contentType } = request.body;
    const unit = hex !== undefined ? Buffer.from(hex, 'hex') : Buffer.from(fill(text ?? ''), 'utf8');
    body = repeat ? Buffer.concat(Array.from({ length: repeat }, () => unit)) : unit;
    const type = contentType ?? 'application/json';
    if (type !== '') headers['Content-Type'] = type;
  }

  const { target: to } = request;
  if (to.kind === 'path') return { path: to.path, headers, body };
  const route = ROUTES[to.route];
  let path: string = route.path;
  if (path.startsWith('{base}')) {
    const base = to.userId ? `/api/${await segmentOf(to.userId, 'user', target)}/tasks` : '/api/tasks';
    path = path.replace('{base}', base);
  }
  if (to.taskId) path = path.replace('{id}', await segmentOf(to.taskId, 'task', target));
  if (to.query !== undefined) path += `?${to.query}`;
  return { path, headers, body };
}

function fill(text: string): string {
  return text.replaceAll('{{email}}', `fuzz-${randomUUID()}@example.com`);
}

async function segmentOf(value: PathValue, of: 'user' | 'task', target: FuzzTarget): Promise<string> {
  switch (value.kind) {
    case 'own':
      return of === 'user' ? (await target.attacker()).id : await target.ownTaskId();
    case 'victim':
      return of === 'user' ? target.victim.id : target.victim.taskIds[0];
    case 'nobody':
      return value.uuid;
    case 'raw':
      return value.segment;
  }
}

async function authorizationOf(auth: Auth, target: FuzzTarget): Promise<string | undefined> {
  if (auth.kind === 'none') return undefined;
  const attacker = await target.attacker();
  if (auth.kind === 'valid') return `Bearer ${attacker.accessToken}`;
  const claims = claimsOf(attacker.accessToken);
  const now = Math.floor(Date.now() / 1000);
  switch (auth.token) {
    case 'garbage':
      return `Bearer ${auth.raw ?? 'garbage'}`;
    case 'empty-bearer':
      return 'Bearer';
    case 'basic-scheme':
      return `Basic ${Buffer.from(`${attacker.email}:x`).toString('base64')}`;
    case 'expired':
      return `Bearer ${accessTokenLike(claims, { iat: now - 3600, exp: now - 60 })}`;
    case 'wrong-secret':
      return `Bearer ${accessTokenLike(claims, {}, undefined, 'another-secret-that-is-long-enough-for-hs256-xyz')}`;
    case 'alg-none':
      return `Bearer ${signJwt({ alg: 'none', typ: 'at+jwt' }, { ...claims, exp: now + 600 }).replace(/[^.]+$/, '')}`;
    case 'wrong-audience':
      return `Bearer ${accessTokenLike(claims, { aud: 'someone-else' })}`;
    case 'refresh-as-access':
      return `Bearer ${attacker.refreshToken}`;
    case 'deleted-user':
      return `Bearer ${target.dead.deletedUser}`;
    case 'ended-session':
      return `Bearer ${target.dead.endedSession}`;
    case 'unknown-subject':
      return `Bearer ${accessTokenLike({ sub: randomUUID(), sid: randomUUID() })}`;
  }
}

/** Keeps the harness's picture of the attacker true after a request that succeeded. */
function keepBooks(request: HostileRequest, answer: Answer, target: FuzzTarget): void {
  if (answer.status >= 300) return;
  if (request.target.kind === 'path') {
    // A random path that happened to name a route that writes: the attacker may be gone.
    if (request.method !== 'GET' && request.method !== 'HEAD') target.forgetAttacker();
    return;
  }
  const route = ROUTES[request.target.route];
  if ('endsSession' in route && route.endsSession && request.auth.kind === 'valid') target.forgetAttacker();
  if (request.target.route === 'deleteTask' && request.target.taskId?.kind === 'own') target.forgetOwnTask();
}

function summary(request: HostileRequest, wire: Wire): string {
  const body = wire.body
    ? ` body(${wire.body.length} B): ${JSON.stringify(wire.body.subarray(0, 200).toString('utf8'))}`
    : '';
  const extra = Object.entries(wire.headers)
    .filter(([name]) => name !== 'Authorization')
    .map(([name, value]) => `${name}: ${value.slice(0, 80)}`)
    .join('; ');
  return `request: ${request.method} ${wire.path.slice(0, 300)} auth=${request.auth.kind === 'bad' ? request.auth.token : request.auth.kind} [${extra}]${body}`;
}
