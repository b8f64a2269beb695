import { randomBytes, randomInt, scrypt } from 'node:crypto';
import { type DeriveKey, PASSWORD_HASH_MAX_MEMORY, PASSWORD_HASH_PARAMETERS, derivePasswordHash } from '../../domain/identity';

/** node:crypto's scrypt for domain/identity's hash format (the station has its own, main/auth/scrypt.ts). */
export const scryptDerive: DeriveKey = (password, salt, { N, r, p, keyLength }) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem: PASSWORD_HASH_MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** A new hash of the password, with a fresh random salt. */
export function hashPassword(password: string): Promise<string> {
  return derivePasswordHash(password, randomBytes(PASSWORD_HASH_PARAMETERS.saltBytes), scryptDerive);
}

/** Lower-case letters and digits without the ones read or dictated as others (l/1, o/0, i). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';
const ONE_TIME_LENGTH = 20;

/**
 * A password for an officer's first login (or after a reset), which the officer must
 * replace at once: 20 characters of 31, about 99 random bits, easy to read out or copy.
 */
export function generateOneTimePassword(): string {
  let password = '';
  for (let i = 0; i < ONE_TIME_LENGTH; i++) password += READABLE.charAt(randomInt(READABLE.length));
  return password;
}
