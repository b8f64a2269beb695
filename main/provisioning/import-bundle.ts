import { readFileSync, rmSync } from 'node:fs';
import { provisioningStationResponse, type ProvisioningBundle } from '../../domain/provisioning';
import { readStationFile, stationFilePath, writeStationFile } from '../services/station-config';
import type { KeyVault } from '../store/database-key';
import { StoreError } from '../store/errors';
import { stationLockHolder } from '../store/station-lock';
import { stationStoreFiles } from '../store/station-files';
import { credentialStation } from '../sync/station-credential';
import { checkProvisioningBundle, serverKeyFingerprint } from './bundle-check';
import { ProvisioningError } from './provisioning-error';

/** Where a station keeps what a bundle gives it. */
export interface ProvisioningTarget {
  dataDir: string;
  /** Seals the credential: the operating system's key store in the app, a 0600 file in the headless shell. */
  credentialVault: KeyVault;
  /** The file behind the vault, removed when a new credential replaces the old one. */
  credentialFile: string;
}

export interface ProvisioningOptions {
  /** The fingerprint of the server key IT staff expect (`npm run server -- provisioning-key`). */
  expectedServerKey?: string;
  /** Do not ask the server: the key must then be known already (expectedServerKey, or station.json from an earlier provisioning). */
  offline?: boolean;
  timeoutMs?: number;
}

export interface ProvisioningResult {
  stationId: string;
  serverUrl: string;
  serverKeyFingerprint: string;
  /** sealed: the first credential; replaced: a new one over an older one; unchanged: the bundle was imported before. */
  credential: 'sealed' | 'replaced' | 'unchanged';
  /** The server was asked, and knows the station's credential and signs with the bundle's key. */
  confirmedByServer: boolean;
}

/** Refuses a bundle signed by another key than the one the station already trusts. */
function checkKnownKey(bundle: ProvisioningBundle, fingerprint: string, source: string, known: { key: string; from: string } | null): void {
  if (known && known.key !== fingerprint) {
    throw new ProvisioningError(
      'BUNDLE_FOREIGN',
      `The provisioning bundle ${source} for ${bundle.stationId} is signed by server key ${fingerprint}, but ${known.from} is ${known.key}. It was not issued by this station's central server; nothing was imported.`,
    );
  }
}

/** Asks the bundle's server whether it knows the credential, and which key it signs with. */
async function confirmWithServer(bundle: ProvisioningBundle, fingerprint: string, source: string, timeoutMs: number): Promise<void> {
  const address = `${bundle.serverUrl}/provisioning/station`;
  const offlineHint = 'Try again when the server can be reached, or import offline: --offline --server-key <fingerprint> (the server prints it with `npm run server -- provisioning-key`).';
  let response: Response;
  try {
    response = await fetch(address, { headers: { authorization: `Bearer ${bundle.credential}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ProvisioningError('SERVER_UNREACHABLE', `The server ${bundle.serverUrl} could not be reached to confirm the bundle (${(error as Error).message}). ${offlineHint}`);
  }
  if (response.status === 401) {
    throw new ProvisioningError(
      'STATION_UNKNOWN',
      `The server ${bundle.serverUrl} does not accept the credential of ${source}: it does not know station ${bundle.stationId}, or that credential has been revoked. Ask for a new bundle; nothing was imported.`,
    );
  }
  const parsed = response.ok ? provisioningStationResponse.safeParse(await response.json().catch(() => null)) : null;
  if (!parsed?.success) {
    throw new ProvisioningError('SERVER_UNREACHABLE', `The server ${bundle.serverUrl} could not confirm the bundle (HTTP ${response.status} from ${address}). ${offlineHint}`);
  }
  if (parsed.data.stationId !== bundle.stationId) {
    throw new ProvisioningError('BUNDLE_FOREIGN', `The server ${bundle.serverUrl} knows the bundle's credential as station ${parsed.data.stationId}, not ${bundle.stationId}; nothing was imported.`);
  }
  checkKnownKey(bundle, fingerprint, source, { key: parsed.data.serverKeyFingerprint, from: `the key the server ${bundle.serverUrl} signs with` });
}

/** The credential the station holds now: null for none, 'unreadable' for a file it cannot use (another user's, a keyring that moved). */
async function currentCredential(target: ProvisioningTarget): Promise<string | null | 'unreadable'> {
  try {
    return await target.credentialVault.read();
  } catch (error) {
    if (error instanceof StoreError) return 'unreadable';
    throw error;
  }
}

/** Seals the bundle's credential, replacing an older one of the same station (checked by the caller). */
async function sealCredential(bundle: ProvisioningBundle, target: ProvisioningTarget, existing: string | null): Promise<ProvisioningResult['credential']> {
  if (existing === bundle.credential) return 'unchanged';
  if (existing !== null) rmSync(target.credentialFile, { force: true });
  await target.credentialVault.create(bundle.credential);
  return existing === null ? 'sealed' : 'replaced';
}

/**
 * A station's first run (or a replaced PC's): imports a provisioning bundle. The bundle
 * must be whole (signature), from the right server (the key the station already trusts, the
 * fingerprint IT staff give, or the server itself asked over the network), and for a
 * station the server knows. Only then is station.json written and the credential sealed.
 * The station's records come back through the ordinary sync once it runs.
 */
export async function importProvisioningBundle(bundleFile: string, target: ProvisioningTarget, options: ProvisioningOptions = {}): Promise<ProvisioningResult> {
  let text: string;
  try {
    text = readFileSync(bundleFile, 'utf8');
  } catch (error) {
    throw new ProvisioningError('BUNDLE_UNREADABLE', `The provisioning bundle ${bundleFile} cannot be read: ${(error as Error).message}`);
  }
  const bundle = checkProvisioningBundle(text, bundleFile);
  const fingerprint = serverKeyFingerprint(bundle.serverPublicKey);

  const current = readStationFile(stationFilePath(target.dataDir));
  if (current.stationId && current.stationId !== bundle.stationId) {
    throw new ProvisioningError('STATION_MISMATCH', `This data folder (${target.dataDir}) belongs to station ${current.stationId}; the bundle is for ${bundle.stationId}. Import it into a new data folder.`);
  }
  const pinned = current.serverPublicKey ? { key: serverKeyFingerprint(current.serverPublicKey), from: "the key this station was provisioned with (station.json)" } : null;
  checkKnownKey(bundle, fingerprint, bundleFile, pinned);
  if (options.expectedServerKey) checkKnownKey(bundle, fingerprint, bundleFile, { key: options.expectedServerKey, from: 'the expected server key (--server-key)' });
  if (options.offline && !pinned && !options.expectedServerKey) {
    throw new ProvisioningError('BUNDLE_FOREIGN', `Offline, a first import needs the server key's fingerprint to trust ${bundleFile}: add --server-key <fingerprint> (the server prints it with \`npm run server -- provisioning-key\`).`);
  }
  if (!options.offline) await confirmWithServer(bundle, fingerprint, bundleFile, options.timeoutMs ?? 10_000);

  const holder = stationLockHolder(stationStoreFiles(target.dataDir).lockFile);
  if (holder !== null) throw new ProvisioningError('STATION_RUNNING', `MIS Station is running on ${target.dataDir} (process ${holder}). Close it, then import the bundle again.`);

  const existing = await currentCredential(target);
  if (existing && existing !== 'unreadable' && credentialStation(existing) !== bundle.stationId) {
    throw new ProvisioningError('STATION_MISMATCH', `This data folder (${target.dataDir}) holds the credential of station ${credentialStation(existing)}; the bundle is for ${bundle.stationId}. Import it into a new data folder.`);
  }
  writeStationFile(target.dataDir, { ...current, stationId: bundle.stationId, serverUrl: bundle.serverUrl, serverPublicKey: bundle.serverPublicKey });
  const credential = await sealCredential(bundle, target, existing);
  return { stationId: bundle.stationId, serverUrl: bundle.serverUrl, serverKeyFingerprint: fingerprint, credential, confirmedByServer: !options.offline };
}
