import { randomBytes } from 'node:crypto';
import { hashToken } from '@gongxiao/core';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 20 base32 characters: 100 random bits, far beyond guessing, short enough to read out or type. */
export const INVITE_CODE_LENGTH = 20;

/** A fresh invite code (RFC 4648 base32 letters, upper case). */
export function generateInviteCode(): string {
  const bytes = randomBytes(INVITE_CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += ALPHABET[byte & 31];
  return code;
}

/**
 * The code as it is stored and compared: case and the separators people type ("abcd-efgh …")
 * removed. Null when it cannot be an invite code at all (the caller answers "not found", as for an
 * unknown one).
 */
export function normalizeInviteCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return new RegExp(`^[A-Z2-7]{${INVITE_CODE_LENGTH}}$`).test(code) ? code : null;
}

/** Codes are stored hashed: a database reader cannot join through them. They are random, so a fast hash is safe. */
export const inviteCodeHash = (code: string): string => hashToken(`partner-invite:${code}`);

/** The path of the console's join page for a code. */
export const joinLinkOf = (code: string): string => `/join/${code}`;
