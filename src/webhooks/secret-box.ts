import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { jwtConfig } from '../config/jwt.config.js';
import { webhooksConfig } from '../config/webhooks.config.js';

const VERSION = 'v1';
const IV_BYTES = 12;

/**
 * Encrypts the endpoints' signing secrets at rest with AES-256-GCM. The key is
 * derived (HKDF-SHA256) from WEBHOOKS_SECRET_KEY, or from the JWT secret where
 * that is unset (development, tests; production refuses to boot without one).
 * The endpoint's id is the associated data: a secret copied onto another row
 * does not decrypt there.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(
    @Inject(webhooksConfig.KEY) config: ConfigType<typeof webhooksConfig>,
    @Inject(jwtConfig.KEY) jwt: ConfigType<typeof jwtConfig>,
  ) {
    const material = config.secretKey ?? `jwt:${jwt.secret}`;
    this.key = Buffer.from(hkdfSync('sha256', material, 'taskwell-webhooks', 'webhook secrets v1', 32));
  }

  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, sealed, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the text was not sealed with this key for `boundTo`. */
  open(text: string, boundTo: string): string {
    const [version, iv, sealed, tag] = text.split('.');
    if (version !== VERSION || !iv || !sealed || !tag) throw new Error('Not a sealed webhook secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}
