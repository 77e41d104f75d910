import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { authConfig } from '../config/auth.config.js';
import { RefreshToken } from './refresh-token.entity.js';
import { Session } from './session.entity.js';

export interface StartedSession {
  sessionId: string;
  refreshToken: string;
}

/** Logins (sessions) and the refresh tokens that keep them alive. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** One login: a new session and its first refresh token, in one transaction. */
  async start(userId: string): Promise<StartedSession> {
    const now = Date.now();
    const refreshToken = newRefreshToken();
    const sessionId = await this.dataSource.transaction(async (manager) => {
      const session = await manager.save(
        manager.create(Session, {
          userId,
          expiresAt: new Date(now + this.config.sessionAbsoluteTtlSeconds * 1000),
        }),
      );
      await manager.insert(RefreshToken, {
        sessionId: session.id,
        userId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(now + this.config.sessionIdleTtlSeconds * 1000),
      });
      return session.id;
    });
    return { sessionId, refreshToken };
  }
}

/** 256 random bits, URL-safe. */
function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Refresh tokens are high-entropy, so a fast hash suffices (no salt or KDF needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
