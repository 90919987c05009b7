import { generateInviteCode, INVITE_CODE_LENGTH, inviteCodeHash, joinLinkOf, normalizeInviteCode } from './invite-code';

describe('invite codes', () => {
  it('are 20 base32 letters, different every time', () => {
    const codes = Array.from({ length: 200 }, generateInviteCode);
    for (const code of codes) expect(code).toMatch(new RegExp(`^[A-Z2-7]{${INVITE_CODE_LENGTH}}$`));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('are read back whatever the case and separators people type, and refused when they cannot be a code', () => {
    const code = generateInviteCode();
    const typed = `${code.slice(0, 5).toLowerCase()}-${code.slice(5, 10)} ${code.slice(10)}`;
    expect(normalizeInviteCode(typed)).toBe(code);
    expect(normalizeInviteCode('short')).toBeNull();
    expect(normalizeInviteCode(`${code.slice(0, 19)}1`)).toBeNull();
    expect(normalizeInviteCode('../../etc/passwd')).toBeNull();
  });

  it('are stored as a hash, and linked as the console’s join page', () => {
    const code = generateInviteCode();
    expect(inviteCodeHash(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(inviteCodeHash(code)).not.toContain(code);
    expect(joinLinkOf(code)).toBe(`/join/${code}`);
  });
});
