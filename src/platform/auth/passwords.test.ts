import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const a = await hashPassword('một mật khẩu dài');
    const b = await hashPassword('một mật khẩu dài');
    expect(a).not.toBe(b);
    expect(await verifyPassword('một mật khẩu dài', a)).toBe(true);
    expect(await verifyPassword('một mật khẩu dai', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('applies length and common-password rules, no composition rules', () => {
    expect(() => checkPasswordPolicy('short')).toThrow('password.too_short');
    expect(() => checkPasswordPolicy('x'.repeat(129))).toThrow('password.too_long');
    expect(() => checkPasswordPolicy('matkhau123')).toThrow('password.too_common');
    expect(() => checkPasswordPolicy('nguyenvana-2024', 'nguyenvana')).toThrow('password.too_common');
    expect(() => checkPasswordPolicy('all lower case words here')).not.toThrow();
  });
});
