import { assertAcceptablePassword, BLOCKLIST_SIZE, isCommonPassword } from './password-policy';

describe('password policy', () => {
  it.each(['1234567890', 'password123', 'qwertyuiop', 'woaini1314', '123456789a', 'Password123!', 'QWERTYUIOP', 'aaaaaaaaaaaa', 'abababababab'])('refuses the common %s', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it('holds a few thousand entries', () => {
    expect(BLOCKLIST_SIZE).toBeGreaterThan(2000);
  });

  it('accepts an ordinary passphrase', () => {
    expect(isCommonPassword('correct horse battery staple')).toBe(false);
    expect(() => assertAcceptablePassword('correct horse battery staple', 'li@sunrise.example')).not.toThrow();
  });

  it('names the field of a short, common or email-bearing password', () => {
    expect(() => assertAcceptablePassword('short', 'li@x.example')).toThrow(expect.objectContaining({ code: 'password_too_short', details: [expect.objectContaining({ field: 'password' })] }));
    expect(() => assertAcceptablePassword('1234567890', 'li@x.example', 'newPassword')).toThrow(
      expect.objectContaining({ code: 'password_too_common', details: [expect.objectContaining({ field: 'newPassword' })] }),
    );
    expect(() => assertAcceptablePassword('liwei.sunrise-2026', 'liwei.sunrise@x.example')).toThrow(expect.objectContaining({ code: 'password_contains_email' }));
  });
});
