import type { RouteName } from './routes.js';

/**
 * One hostile request, as plain data: fast-check generates, shrinks and prints it. Ids and tokens
 * are named, not spelled out (`own`, `victim`), and resolved against the live accounts when sent,
 * so a seed replays the same attack on any run.
 */
export type PathValue =
  | { kind: 'own' } // the attacker's own user id, or one of their tasks
  | { kind: 'victim' } // another user's id or task (BOLA)
  | { kind: 'nobody'; uuid: string } // a well-formed UUID that names nothing
  | { kind: 'raw'; segment: string }; // bytes for the path segment, percent-encoded as sent

export type BadToken =
  | 'garbage'
  | 'empty-bearer'
  | 'basic-scheme'
  | 'expired'
  | 'wrong-secret'
  | 'alg-none'
  | 'wrong-audience'
  | 'refresh-as-access'
  | 'deleted-user'
  | 'ended-session'
  | 'unknown-subject';

export type Auth = { kind: 'none' } | { kind: 'valid' } | { kind: 'bad'; token: BadToken; raw?: string };

/**
 * What the generator knows about the body it built: the oracle expects `valid` to pass the body
 * check, `malformed` and `invalid` to be 400s (with `fields` named in `errors[]` when given),
 * `too-large` a 413 and `unsupported` a 415; `unknown` only has to keep the contract-wide rules.
 */
export type BodyVerdict =
  | { kind: 'valid' }
  | { kind: 'malformed' }
  | { kind: 'rejected' } // a 400 of either type (not JSON, or JSON no route takes)
  | { kind: 'invalid'; fields?: string[] }
  | { kind: 'too-large' }
  | { kind: 'unsupported' }
  | { kind: 'unknown' };

export interface Body {
  /** The body text; `{{email}}` becomes a fresh address when sent. */
  text?: string;
  /** Raw body bytes (hex), for bytes that are not UTF-8. */
  hex?: string;
  /** Repeats `text` this many times (large bodies stay small in a printed counterexample). */
  repeat?: number;
  contentType?: string;
  verdict: BodyVerdict;
}

export type Target =
  | {
      kind: 'route';
      route: RouteName;
      /** Task routes: `/api/tasks` (`own`) or `/api/{userId}/tasks` with this user id. */
      userId?: PathValue;
      taskId?: PathValue;
      /** The query string without `?`, as sent; `queryVerdict` says what the oracle expects of it. */
      query?: string;
      queryVerdict?: { kind: 'invalid'; fields: string[] } | { kind: 'unknown' };
    }
  | { kind: 'path'; path: string };

export interface HostileRequest {
  method: string;
  target: Target;
  auth: Auth;
  body?: Body;
  ifMatch?: 'stale' | 'any' | 'garbage';
  /** When the request succeeds, the answer's `data[field]` must equal `value` (text is kept as sent). */
  expectStored?: { field: string; value: unknown };
  /** Extra headers (request id, origin, accept...). */
  headers?: Record<string, string>;
}
