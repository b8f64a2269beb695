import { scrypt } from 'node:crypto';
import { type DeriveKey, PASSWORD_HASH_MAX_MEMORY } from '../../domain/identity';

/**
 * node:crypto's scrypt, for checking officers' password hashes (domain/identity/password.ts)
 * at login. The sync server has the same few lines (sync-server/auth/passwords.ts): the
 * two programs share domain/ only. maxmem: Node refuses more than 32 MiB by default, and
 * the hashes need 128 MiB.
 */
export const scryptDerive: DeriveKey = (password, salt, { N, r, p, keyLength }) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem: PASSWORD_HASH_MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
