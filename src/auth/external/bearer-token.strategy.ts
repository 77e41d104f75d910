import type { Request } from 'express';
import { ExtractJwt } from 'passport-jwt';
import { Strategy } from 'passport-strategy';

type Done = (error: unknown, user?: unknown) => void;

const fromHeader = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * A passport strategy that hands the Bearer token to its verify callback
 * (Nest's `validate`), which answers with the caller, `false` (not a token
 * for this strategy: the next one may take it), or an error (a token for
 * this strategy that is refused: its problem is the answer).
 */
export class BearerTokenStrategy extends Strategy {
  constructor(private readonly verifyToken: (token: string, done: Done) => void) {
    super();
  }

  override authenticate(request: Request): void {
    const token = fromHeader(request);
    if (!token) return this.fail(401);
    this.verifyToken(token, (error, user) => {
      if (error) this.error(error as Error);
      else if (user) this.success(user);
      else this.fail(401);
    });
  }
}
