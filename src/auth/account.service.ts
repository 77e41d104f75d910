import { Injectable, UnauthorizedException } from '@nestjs/common';
import { UsersService } from '../users/users.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService } from './sessions.service.js';
import { Revocations } from './shared-state/revocations.js';

/** Account changes that must end sessions: a new password, or no account at all. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly revocations: Revocations,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Needs the current password; then every session of the user ends, so every device logs in again. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      throw new UnauthorizedException('The current password is wrong');
    }
    await this.users.setPasswordHash(userId, await this.hasher.hash(newPassword));
    await this.sessions.revokeAllOf(userId);
  }

  /** The user, their tasks and sessions go (the database cascades); every instance forgets its cached sessions at once. */
  async deleteAccount(userId: string): Promise<void> {
    await this.users.remove(userId);
    await this.revocations.publish({ userIds: [userId] });
  }
}
