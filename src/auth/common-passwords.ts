import { dictionary } from '@zxcvbn-ts/language-common';

/** ~49,000 most common passwords, from the zxcvbn-ts project's maintained list. */
const COMMON_PASSWORDS = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
