import { hash, verify } from '@node-rs/argon2';
import { Injectable, type OnModuleInit } from '@nestjs/common';

/** argon2id (the library's default algorithm) with the OWASP Password Storage Cheat Sheet's first option: 19 MiB, t=2, p=1. */
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash = '';

  async onModuleInit(): Promise<void> {
    // Verified against when the email is unknown, so both paths cost one argon2 verify.
    this.dummyHash = await this.hash('dummy password for timing equality');
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** Verifies against `storedHash`, or against a dummy hash when there is none (unknown account). */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    const matches = await verify(storedHash ?? this.dummyHash, password).catch(() => false);
    return storedHash !== undefined && matches;
  }
}
