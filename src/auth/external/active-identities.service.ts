import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { authConfig } from '../../config/auth.config.js';
import { IdentitiesService } from '../../users/identities.service.js';
import { CachedCheck } from '../active-sessions.service.js';
import { Revocations } from '../shared-state/revocations.js';

/**
 * The session check for an identity provider's token: its identity is still
 * linked (deleting the account deletes its identities), with the same
 * caching and the same bound as our sessions. The users module owns
 * identities: it is asked through its service.
 */
@Injectable()
export class ActiveIdentities extends CachedCheck {
  constructor(
    private readonly identities: IdentitiesService,
    @Inject(authConfig.KEY) config: ConfigType<typeof authConfig>,
    revocations: Revocations,
  ) {
    super(config, revocations);
  }

  protected load(identityId: string, userId: string): Promise<boolean> {
    return this.identities.isLinked(identityId, userId);
  }
}
