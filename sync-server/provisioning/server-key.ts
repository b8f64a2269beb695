import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The key pair the server signs provisioning bundles with (Ed25519). The private key lives
 * in the server's data folder, readable by the server's account only; stations learn the
 * public key from their bundle and keep it. Losing the file means stations provisioned
 * with the old key refuse bundles signed by the new one: back it up with the database.
 */
export interface ServerSigningKey {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER, base64: what a bundle carries. */
  publicKey: string;
  /** `SHA256:` and the base64 SHA-256 of the public key: what IT staff compare by eye. */
  fingerprint: string;
  file: string;
}

export const serverKeyFileName = 'provisioning-key.pem';

export function serverKeyFile(dataDir: string | undefined): string {
  return join(resolve(dataDir ?? 'server-data'), serverKeyFileName);
}

/** The same rule as the station's main/provisioning/bundle-check.ts. */
export function keyFingerprint(publicKeyDer: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyDer).digest('base64').replace(/=+$/, '')}`;
}

function signingKey(privateKey: KeyObject, file: string): ServerSigningKey {
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey: der.toString('base64'), fingerprint: keyFingerprint(der), file };
}

/** Reads the server's key pair from `file`, making one on first use. */
export function loadOrCreateServerKey(file: string): ServerSigningKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`The server's provisioning key ${file} cannot be read: ${(error as Error).message}`, { cause: error });
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const descriptor = openSync(file, 'wx', 0o600);
    try {
      writeSync(descriptor, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    return signingKey(privateKey, file);
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`The server's provisioning key ${file} is not an Ed25519 key.`);
  return signingKey(privateKey, file);
}
