import { ConflictException, Injectable } from '@nestjs/common';
import { ValidationProblemException } from '../common/problems/validation-problem.exception.js';
import type { UpdateUserDto } from '../users/dto/update-user.dto.js';
import { UsersService } from '../users/users.service.js';
import { AuthService } from './auth.service.js';
import type { TokensDto } from './dto/tokens.dto.js';
import { PasswordHasher } from './password-hasher.service.js';
import { SessionsService } from './sessions.service.js';
import { Revocations } from './shared-state/revocations.js';

/** An account provisioned from an identity provider signs in there: it has no password to change. */
const NO_PASSWORD =
  'This account has no password: it signs in with its identity provider, where its password is changed';

/** Its email comes from its identity provider, and there is no password to confirm a change with. */
const NO_PASSWORD_FOR_EMAIL =
  'This account has no password: it signs in with its identity provider, where its email is changed';

/** Account changes that must end sessions: a new password, or no account at all. */
@Injectable()
export class AccountService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly revocations: Revocations,
    private readonly hasher: PasswordHasher,
    private readonly auth: AuthService,
  ) {}

  /**
   * Needs the current password; then every session of the user ends (every
   * other device logs in again) and the caller gets a new one, so the device
   * that changed the password stays signed in (docs/API.md). A wrong
   * current password is a 400 on that field: a 401 would read as "signed out".
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<TokensDto> {
    const user = await this.users.findById(userId);
    if (user && user.passwordHash === null) throw new ConflictException(NO_PASSWORD);
    if (!user || !(await this.hasher.verify(user.passwordHash ?? undefined, currentPassword))) {
      throw ValidationProblemException.of('currentPassword', 'is not the current password');
    }
    const passwordHash = await this.hasher.hash(newPassword);
    await this.users.setPasswordHash(userId, passwordHash);
    await this.sessions.revokeAllOf(userId);
    // Fails (401) if another change replaced this password meanwhile: that one's sessions are the only ones.
    return this.auth.startSession(userId, passwordHash);
  }

  /**
   * A new name or email. A new email needs the current password: an access
   * token alone must not move the account (and its password resets) to
   * another address. A wrong password is a 400 on `currentPassword`.
   */
  async updateProfile(userId: string, changes: UpdateUserDto): Promise<Awaited<ReturnType<UsersService['update']>>> {
    if (changes.email !== undefined) {
      const user = await this.users.findById(userId);
      if (user && user.passwordHash === null) throw new ConflictException(NO_PASSWORD_FOR_EMAIL);
      if (!user || !(await this.hasher.verify(user.passwordHash ?? undefined, changes.currentPassword ?? ''))) {
        throw ValidationProblemException.of('currentPassword', 'is not the current password');
      }
    }
    return this.users.update(userId, { email: changes.email, name: changes.name });
  }

  /** The user, their tasks, sessions and identities go (the database cascades); every instance forgets its cached checks at once. */
  async deleteAccount(userId: string): Promise<void> {
    await this.users.remove(userId);
    await this.revocations.publish({ userIds: [userId] });
  }
}
