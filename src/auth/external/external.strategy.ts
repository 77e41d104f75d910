import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { AuthUser } from '../../common/auth-user.js';
import { IdentitiesService } from '../../users/identities.service.js';
import { BearerTokenStrategy } from './bearer-token.strategy.js';
import { ExternalTokenVerifier } from './external-token-verifier.js';

/**
 * The second kind of access token: one signed by a configured identity
 * provider (docs/IDENTITY-PROVIDERS.md), tried after ours. A token whose `iss` is not a
 * configured issuer is not this strategy's (`false`), so with no issuer
 * configured every request is answered exactly as before. A verified
 * token's identity is the caller, provisioned as a local user on first sight.
 */
@Injectable()
export class ExternalStrategy extends PassportStrategy(BearerTokenStrategy, 'external') {
  constructor(
    private readonly verifier: ExternalTokenVerifier,
    private readonly identities: IdentitiesService,
  ) {
    super();
  }

  async validate(token: string): Promise<AuthUser | false> {
    if (!this.verifier.enabled || this.verifier.issuerOf(token) === null) return false;
    const { identity, expiresAt } = await this.verifier.verify(token);
    const linked = await this.identities.findOrProvision(identity);
    return {
      id: linked.userId,
      identity: { id: linked.identityId, issuer: identity.issuer, subject: identity.subject },
      expiresAt,
    };
  }
}
