import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { UsersService } from '../users/users.service.js';
import { ActiveSessions } from './active-sessions.service.js';
import { ActiveIdentities } from './external/active-identities.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService } from './sessions.service.js';

/** An account provisioned from an identity provider signs in there: it has no password to change. */
const NO_PASSWORD =
  'This account has no password: it signs in with its identity provider, where its password is changed';

/** Account changes that must end sessions: a new password, or no account at all. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly activeSessions: ActiveSessions,
    private readonly activeIdentities: ActiveIdentities,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Needs the current password; then every session of the user ends, so every device logs in again. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (user && user.passwordHash === null) throw new ConflictException(NO_PASSWORD);
    if (!user || !(await this.hasher.verify(user.passwordHash ?? undefined, currentPassword))) {
      throw new UnauthorizedException('The current password is wrong');
    }
    await this.users.setPasswordHash(userId, await this.hasher.hash(newPassword));
    await this.sessions.revokeAllOf(userId);
  }

  /** The user, their tasks, sessions and identities go (the database cascades); cached checks are forgotten at once. */
  async deleteAccount(userId: string): Promise<void> {
    await this.users.remove(userId);
    this.activeSessions.forgetUser(userId);
    this.activeIdentities.forgetUser(userId);
  }
}
