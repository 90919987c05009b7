import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig, hashPassword, needsRehash, PasswordHashParameters, verifyPassword } from '@gongxiao/core';

/** Hashes and checks passwords at the configured scrypt cost. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly parameters: PasswordHashParameters;
  /** Checked against when the email is unknown, so that path costs what a known one does. */
  private dummy: Promise<string> | undefined;

  constructor(config: AppConfig) {
    this.parameters = { logN: config.PASSWORD_SCRYPT_LOG_N, r: 8, p: 1 };
  }

  /** Made at start-up, so that the first unknown email does not pay for it. */
  onModuleInit(): void {
    this.dummy ??= this.hash(`unknown member ${Math.random()}`);
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.parameters);
  }

  /**
   * Checks `password` against `stored`, or against a dummy hash of the same cost when there is no
   * member (always false then): unknown and known emails take the same time.
   */
  async verify(password: string, stored: string | null): Promise<boolean> {
    this.dummy ??= this.hash(`unknown member ${Math.random()}`);
    const matches = await verifyPassword(password, stored ?? (await this.dummy));
    return stored !== null && matches;
  }

  /** True when `stored` was made at a lower cost than configured. */
  needsRehash(stored: string): boolean {
    return needsRehash(stored, this.parameters);
  }
}
