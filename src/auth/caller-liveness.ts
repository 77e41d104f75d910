import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user.js';
import { SessionLiveness } from '../common/session-liveness.js';
import { ActiveSessions } from './active-sessions.service.js';
import { ActiveIdentities } from './external/active-identities.service.js';

/** The guard's own liveness rule, for callers that stay connected: a session not revoked, an identity still linked. */
@Injectable()
export class CallerLiveness extends SessionLiveness {
  constructor(
    private readonly activeSessions: ActiveSessions,
    private readonly activeIdentities: ActiveIdentities,
  ) {
    super();
  }

  isAlive(caller: AuthUser): Promise<boolean> {
    return caller.identity === undefined
      ? this.activeSessions.isActive(caller.sessionId as string, caller.id)
      : this.activeIdentities.isActive(caller.identity.id, caller.id);
  }
}
