import { sign } from 'node:crypto';
import { provisioningBundleFormat, provisioningSignedText, type ProvisioningBundle } from '../../domain/provisioning';
import { issueCredential } from '../auth/credentials';
import { ServerError } from '../errors';
import type { SyncRepository } from '../store/repository';
import type { ServerSigningKey } from './server-key';

export interface BundleRequest {
  stationId: string;
  /** The address stations reach this server at (not necessarily the one the admin used). */
  serverUrl: string;
  /** Revoke the station's earlier credentials first: the old PC was lost, stolen or scrapped. */
  replace?: boolean;
  now?: number;
}

/** https, or http to the station's own machine (tests, a tunnel): the same rule stations apply to station.json. */
function stationServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ServerError(422, 'INVALID_REQUEST', `The server address ${JSON.stringify(text)} is not a URL.`);
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ServerError(422, 'INVALID_REQUEST', `The server address must start with https:// (http:// only to the station's own machine): ${text}`);
  }
  return text.replace(/\/+$/, '');
}

/**
 * Issues a provisioning bundle for a station the server knows: a new credential for it,
 * signed together with the station id, the server's address and the server's public key.
 * Earlier credentials keep working unless `replace` revokes them.
 */
export async function issueProvisioningBundle(repository: SyncRepository, key: ServerSigningKey, request: BundleRequest): Promise<ProvisioningBundle> {
  const now = request.now ?? Date.now();
  const serverUrl = stationServerUrl(request.serverUrl);
  const station = (await repository.records('stations', [request.stationId])).get(request.stationId);
  if (!station || station.document._deleted) {
    throw new ServerError(404, 'STATION_UNKNOWN', `There is no station ${request.stationId} on this server. Add it first (npm run server -- add-station).`);
  }
  if (request.replace) await repository.revokeCredentials(request.stationId, now);
  const { token } = await issueCredential(repository, request.stationId, now);
  const unsigned = {
    format: provisioningBundleFormat,
    stationId: request.stationId,
    serverUrl,
    credential: token,
    serverPublicKey: key.publicKey,
    issuedAt: new Date(now).toISOString(),
  } as const;
  const signature = sign(null, Buffer.from(provisioningSignedText(unsigned), 'utf8'), key.privateKey).toString('base64');
  return { ...unsigned, signature };
}
