import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user.js';
import { type LivenessWatcher, SessionLiveness } from '../common/session-liveness.js';
import { ActiveSessions } from './active-sessions.service.js';
import { ActiveIdentities } from './external/active-identities.service.js';
import { Revocations } from './shared-state/revocations.js';

/** The guard's own liveness rule, for callers that stay connected: a session not revoked, an identity still linked. */
@Injectable()
export class CallerLiveness extends SessionLiveness {
  constructor(
    private readonly activeSessions: ActiveSessions,
    private readonly activeIdentities: ActiveIdentities,
    private readonly revocations: Revocations,
  ) {
    super();
  }

  isAlive(caller: AuthUser): Promise<boolean> {
    return caller.identity === undefined
      ? this.activeSessions.isActive(caller.sessionId as string, caller.id)
      : this.activeIdentities.isActive(caller.identity.id, caller.id);
  }

  watch(watcher: LivenessWatcher): void {
    this.revocations.listen({
      revoked: ({ sessionIds = [], userIds = [] }) => watcher.ended({ sessionIds, userIds }),
      resync: () => watcher.resync(),
    });
  }

  get reliable(): boolean {
    return this.revocations.mayRemember;
  }
}
