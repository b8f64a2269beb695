import { randomBytes, scrypt, scryptSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DeriveKey,
  PASSWORD_HASH_MAX_MEMORY,
  PASSWORD_HASH_PARAMETERS,
  PasswordHashError,
  derivePasswordHash,
  formatPasswordHash,
  parsePasswordHash,
  passwordProblems,
  verifyPassword,
} from './password';

/** node:crypto's scrypt, as the server and the station pass it in. */
const nodeScrypt: DeriveKey = (password, salt, { N, r, p, keyLength }) =>
  new Promise((resolve, reject) => scrypt(password, salt, keyLength, { N, r, p, maxmem: PASSWORD_HASH_MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))));

const unpadded = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** A hash made without this module, to check that it reads what the format says. */
function handMadeHash(password: string, logN: number): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** logN, r: 8, p: 1 });
  return `$scrypt$ln=${logN},r=8,p=1$${unpadded(salt)}$${unpadded(key)}`;
}

describe('password hash format', () => {
  it('writes OWASP\'s scrypt parameters in the PHC form, base64 without padding', () => {
    const text = formatPasswordHash({ logN: 17, r: 8, p: 1, salt: new Uint8Array(16).fill(1), key: new Uint8Array(32).fill(2) });
    expect(text).toBe(`$scrypt$ln=17,r=8,p=1$${unpadded(Buffer.alloc(16, 1))}$${unpadded(Buffer.alloc(32, 2))}`);
    expect(text).not.toContain('=$');
    expect(text.endsWith('=')).toBe(false);
  });

  it('reads back what it writes, for any salt and key within the limits', () => {
    fc.assert(
      fc.property(
        fc.record({
          logN: fc.integer({ min: 10, max: 17 }),
          r: fc.integer({ min: 1, max: 8 }),
          p: fc.integer({ min: 1, max: 16 }),
          salt: fc.uint8Array({ minLength: 16, maxLength: 64 }),
          key: fc.uint8Array({ minLength: 16, maxLength: 64 }),
        }),
        (hash) => {
          expect(parsePasswordHash(formatPasswordHash(hash))).toEqual(hash);
        },
      ),
    );
  });

  it.each([
    ['an empty string', ''],
    ['a plaintext password', 'correct horse battery staple'],
    ['the marker stations get for officers of other stations', '!withheld'],
    ['another algorithm', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U'],
    ['a hash without its key', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty key', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$'],
    ['padded base64', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['base64url characters', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAA-_$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a base64 length no bytes make', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a cost too high to derive', '$scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a cost over 256 MiB of scrypt state', '$scrypt$ln=18,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a parallelism of zero', '$scrypt$ln=17,r=8,p=0$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a salt of 8 bytes', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a key of 8 bytes', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAA'],
    ['parameters in another order', '$scrypt$r=8,ln=17,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['trailing text', '$scrypt$ln=17,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA$x'],
  ])('refuses %s with a PasswordHashError', (_what, text) => {
    expect(() => parsePasswordHash(text)).toThrow(PasswordHashError);
  });

  it('says plainly that a withheld hash is no hash', () => {
    expect(() => parsePasswordHash('!withheld')).toThrow(/withheld/);
  });
});

describe('verifyPassword', () => {
  it('accepts the password a hash was made from and refuses any other', async () => {
    const stored = await derivePasswordHash('lipa kod mosta 1878', randomBytes(PASSWORD_HASH_PARAMETERS.saltBytes), nodeScrypt);
    expect(stored).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword(stored, 'lipa kod mosta 1878', nodeScrypt)).toBe(true);
    expect(await verifyPassword(stored, 'lipa kod mosta 1879', nodeScrypt)).toBe(false);
    expect(await verifyPassword(stored, '', nodeScrypt)).toBe(false);
  });

  it('reads a hash made by node:crypto directly, with the parameters the hash names', async () => {
    const stored = handMadeHash('twelve chars!', 12);
    expect(await verifyPassword(stored, 'twelve chars!', nodeScrypt)).toBe(true);
    expect(await verifyPassword(stored, 'twelve chars?', nodeScrypt)).toBe(false);
  });

  it('takes a password typed with combining accents as the same password', async () => {
    const composed = 'Čaršija na Baščaršiji';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const stored = await derivePasswordHash(composed, randomBytes(16), nodeScrypt);
    expect(await verifyPassword(stored, decomposed, nodeScrypt)).toBe(true);
  });

  it('refuses when a single bit of the stored key differs', async () => {
    const stored = parsePasswordHash(handMadeHash('a long enough password', 10));
    stored.key[31] = stored.key[31]! ^ 1;
    expect(await verifyPassword(formatPasswordHash(stored), 'a long enough password', nodeScrypt)).toBe(false);
  });

  it('throws, rather than answering "wrong password", for a hash it cannot check', async () => {
    await expect(verifyPassword('!withheld', 'anything at all', nodeScrypt)).rejects.toThrow(PasswordHashError);
  });
});

describe('passwordProblems', () => {
  it.each([
    ['a long phrase', 'mostar bridge at dawn', []],
    ['exactly 12 characters', 'abcdefghijk1', []],
    ['11 characters', 'abcdefghijk', ['The password must be at least 12 characters long.']],
    ['12 characters counted as the officer sees them', 'čćžšđčćžšđčć', []],
    ['257 characters', 'ab'.repeat(128) + 'c', ['The password must be at most 256 characters long.']],
    ['the username', 'officer.sarajevo', ['The password must not be your username.']],
    ['the username in capitals', 'OFFICER.SARAJEVO', ['The password must not be your username.']],
    ['one character repeated', 'aaaaaaaaaaaaaaaa', ['The password must not be one character repeated.']],
    ['a short repetition', 'aaaa', ['The password must be at least 12 characters long.', 'The password must not be one character repeated.']],
  ])('%s', (_what, password, problems) => {
    expect(passwordProblems(password, 'officer.sarajevo')).toEqual(problems);
  });

  it('lets a password contain the username among other words', () => {
    expect(passwordProblems('officer.sarajevo at the river', 'officer.sarajevo')).toEqual([]);
  });
});
