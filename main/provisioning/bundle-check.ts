import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { provisioningBundleSchema, provisioningSignedText, type ProvisioningBundle } from '../../domain/provisioning';
import { credentialStation, stationCredentialFormat } from '../sync/station-credential';
import { ProvisioningError } from './provisioning-error';

/** `SHA256:` and the base64 SHA-256 of the key's DER: the same rule as the server's sync-server/provisioning/server-key.ts. */
export function serverKeyFingerprint(publicKeyBase64: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

function ed25519Key(publicKeyBase64: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    // Bytes that are no public key at all: the caller reports the bundle as altered.
    return null;
  }
}

/**
 * Reads a provisioning bundle and checks that it is whole: the shape this station
 * understands, and a signature that matches its contents under the key it carries.
 * Whether that key is the right server's is for the caller to check (import-bundle.ts).
 */
export function checkProvisioningBundle(text: string, source: string): ProvisioningBundle {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProvisioningError('BUNDLE_UNREADABLE', `${source} is not a provisioning bundle (it is not JSON). Use the file written by \`npm run server -- provision\`.`);
  }
  const parsed = provisioningBundleSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(file)'))].join(', ');
    throw new ProvisioningError('BUNDLE_UNREADABLE', `${source} is not a provisioning bundle this version of MIS Station can read (check: ${fields}). Use the file written by \`npm run server -- provision\`.`);
  }
  const bundle = parsed.data;
  const key = ed25519Key(bundle.serverPublicKey);
  const signature = Buffer.from(bundle.signature, 'base64');
  const whole = key !== null && verify(null, Buffer.from(provisioningSignedText(bundle), 'utf8'), key, signature);
  if (!whole) {
    throw new ProvisioningError(
      'BUNDLE_TAMPERED',
      `The provisioning bundle ${source} has been changed since the server signed it: its signature does not match its contents. Nothing was imported. Do not use this file; ask the central server's administrator for a new bundle.`,
    );
  }
  // Signed, so these hold unless the server itself is wrong; checked all the same, since the station acts on them.
  if (!stationCredentialFormat.test(bundle.credential) || credentialStation(bundle.credential) !== bundle.stationId) {
    throw new ProvisioningError('BUNDLE_UNREADABLE', `The provisioning bundle ${source} does not hold a credential for station ${bundle.stationId}. Ask for a new bundle.`);
  }
  return bundle;
}
