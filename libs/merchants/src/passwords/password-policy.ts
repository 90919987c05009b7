import { DomainError } from '@gongxiao/core';
import { COMMON_PASSWORDS } from './common-passwords';

/** Shortest password accepted (NIST 800-63B asks for at least 8; a B2B console can ask for more). */
export const MIN_PASSWORD_LENGTH = 10;

const DECORATIONS = ['', '1', '12', '123', '1234', '12345', '123456', '!', '1!', '123!', '@123', '.', '520', '1314', '666', '888', '000', '2023', '2024', '2025', '2026', '2027'];

/** Every common password with the usual decorations (a few thousand entries, built once). */
const BLOCKLIST: ReadonlySet<string> = new Set(
  COMMON_PASSWORDS.flatMap((base) => {
    const word = base.toLowerCase();
    return DECORATIONS.flatMap((suffix) => [word + suffix, suffix + word]);
  }),
);

export function isCommonPassword(password: string): boolean {
  const normalized = password.normalize('NFKC').toLowerCase();
  if (BLOCKLIST.has(normalized)) return true;
  // One character repeated, or a run of one or two characters ("ababababab").
  return /^(.)\1+$/.test(normalized) || /^(..)\1+$/.test(normalized);
}

/** Number of distinct entries the blocklist holds (for the spec). */
export const BLOCKLIST_SIZE = BLOCKLIST.size;

/**
 * Refuses a password that is short, common, or contains the member's email (or its local part):
 * a field-level 400 naming `field`.
 */
export function assertAcceptablePassword(password: string, email: string, field = 'password'): void {
  const refuse = (code: string, reason: string) => new DomainError('invalid', code, `${field} ${reason}.`, [{ field, reason }]);
  if ([...password].length < MIN_PASSWORD_LENGTH) throw refuse('password_too_short', `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (isCommonPassword(password)) throw refuse('password_too_common', 'is one of the most common passwords: choose another');
  const lowered = password.toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (lowered.includes(address) || (local.length >= 3 && lowered.includes(local))) throw refuse('password_contains_email', 'must not contain your email address');
}
