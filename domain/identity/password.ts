/**
 * Officers' password hashes, in the one format both the sync server (which makes them)
 * and the stations (which check logins offline) read: a PHC string
 *
 *   $scrypt$ln=17,r=8,p=1$<salt>$<key>
 *
 * with salt and key in base64 without padding. scrypt with N = 2^17, r = 8, p = 1, a
 * 16-byte salt and a 32-byte key are OWASP's recommended parameters; the parameters are
 * part of every hash so that they can be raised later without invalidating old hashes.
 *
 * Pure: the key derivation itself (node:crypto's scrypt) is passed in by the caller, so
 * that this file runs anywhere and the server and the station share every rule but that.
 */

export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
  /** Length of the derived key in bytes. */
  keyLength: number;
}

/** Derives scrypt's key from a password (as UTF-8) and a salt. */
export type DeriveKey = (password: string, salt: Uint8Array, parameters: ScryptParameters) => Promise<Uint8Array>;

export interface PasswordHash {
  /** log2 of N. */
  logN: number;
  r: number;
  p: number;
  salt: Uint8Array;
  key: Uint8Array;
}

/** What new hashes are made with. */
export const PASSWORD_HASH_PARAMETERS = { logN: 17, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/**
 * What a stored hash may ask for: room to raise the cost later, but never more scrypt
 * state than PASSWORD_HASH_MAX_MEMORY, so that a forged hash cannot make a station
 * derive gigabytes. The derive functions pass the same bound to scrypt as its maxmem.
 */
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16], saltBytes: [16, 64], keyBytes: [16, 64] } as const;

/** 256 MiB: twice what the hashes made now need (scrypt's 128 × r × (N + p + 2) bytes, about 128 MiB). */
export const PASSWORD_HASH_MAX_MEMORY = 256 * 1024 * 1024;

function scryptMemory(hash: Pick<PasswordHash, 'logN' | 'r' | 'p'>): number {
  return 128 * hash.r * (2 ** hash.logN + hash.p + 2);
}

export class PasswordHashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordHashError';
  }
}

const BASE64_NO_PADDING = /^[A-Za-z0-9+/]+$/;
const HASH_SHAPE = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([^$]*)\$([^$]*)$/;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, '');
}

function fromBase64(text: string, what: string): Uint8Array {
  // A length of 4n+1 cannot come from any bytes.
  if (!BASE64_NO_PADDING.test(text) || text.length % 4 === 1) throw new PasswordHashError(`The password hash's ${what} is not base64 without padding.`);
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function within(value: number, [low, high]: readonly [number, number], what: string): number {
  if (value < low || value > high) throw new PasswordHashError(`The password hash's ${what} is ${value}, outside ${low}–${high}.`);
  return value;
}

export function formatPasswordHash(hash: PasswordHash): string {
  return `$scrypt$ln=${hash.logN},r=${hash.r},p=${hash.p}$${toBase64(hash.salt)}$${toBase64(hash.key)}`;
}

/**
 * Reads a stored hash; throws PasswordHashError, saying what is wrong, for anything else:
 * a plaintext password, another format, the `!withheld` marker stations get for officers
 * of other stations.
 */
export function parsePasswordHash(text: string): PasswordHash {
  if (text.startsWith('!')) throw new PasswordHashError('This station holds no password hash for this officer (it is withheld: the officer may not log in here).');
  const match = HASH_SHAPE.exec(text);
  if (!match) throw new PasswordHashError('The password hash is not in the $scrypt$ln=…,r=…,p=…$salt$key format.');
  const [, logN = '', r = '', p = '', salt = '', key = ''] = match;
  const parsed: PasswordHash = {
    logN: within(Number(logN), LIMITS.logN, 'ln'),
    r: within(Number(r), LIMITS.r, 'r'),
    p: within(Number(p), LIMITS.p, 'p'),
    salt: fromBase64(salt, 'salt'),
    key: fromBase64(key, 'key'),
  };
  within(parsed.salt.length, LIMITS.saltBytes, 'salt length in bytes');
  within(parsed.key.length, LIMITS.keyBytes, 'key length in bytes');
  if (scryptMemory(parsed) > PASSWORD_HASH_MAX_MEMORY) throw new PasswordHashError(`The password hash's parameters need more than ${PASSWORD_HASH_MAX_MEMORY / 2 ** 20} MiB to check.`);
  return parsed;
}

/**
 * Passwords are hashed in Unicode's composed form (NFC): the same letter typed as one
 * character or as a letter and an accent is the same password.
 */
function derive(password: string, salt: Uint8Array, hash: Pick<PasswordHash, 'logN' | 'r' | 'p'>, keyLength: number, deriveKey: DeriveKey): Promise<Uint8Array> {
  return deriveKey(password.normalize('NFC'), salt, { N: 2 ** hash.logN, r: hash.r, p: hash.p, keyLength });
}

/** A new hash of `password` with the given random salt (PASSWORD_HASH_PARAMETERS.saltBytes long). */
export async function derivePasswordHash(password: string, salt: Uint8Array, deriveKey: DeriveKey): Promise<string> {
  const { logN, r, p, keyBytes } = PASSWORD_HASH_PARAMETERS;
  const key = await derive(password, salt, { logN, r, p }, keyBytes, deriveKey);
  return formatPasswordHash({ logN, r, p, salt, key });
}

/** Compares every byte whatever the first difference, so that the time taken says nothing about the key. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

/**
 * Whether `password` is the one the stored hash was made from. Throws PasswordHashError
 * when `stored` is no hash of ours (the withheld marker included): that is no wrong
 * password but a hash this side cannot check, and callers say so differently.
 */
export async function verifyPassword(stored: string, password: string, deriveKey: DeriveKey): Promise<boolean> {
  const hash = parsePasswordHash(stored);
  const key = await derive(password, hash.salt, hash, hash.key.length, deriveKey);
  return sameBytes(key, hash.key);
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The rules a new password breaks, in words an officer understands; empty when it is
 * fine. Length rather than character classes (NIST SP 800-63B): a long phrase is both
 * stronger and easier to remember than a short jumble. Lengths count characters as the
 * officer sees them, not UTF-16 units.
 */
export function passwordProblems(password: string, username: string): string[] {
  const characters = [...password.normalize('NFC')];
  const problems: string[] = [];
  if (characters.length < PASSWORD_MIN_LENGTH) problems.push(`The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`);
  if (characters.length > PASSWORD_MAX_LENGTH) problems.push(`The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`);
  if (username !== '' && password.trim().toLowerCase() === username.trim().toLowerCase()) problems.push('The password must not be your username.');
  if (characters.length > 1 && characters.every((character) => character === characters[0])) problems.push('The password must not be one character repeated.');
  return problems;
}
