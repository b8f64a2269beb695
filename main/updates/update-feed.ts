import type { StationConfig } from '../services/station-config';
import type { KeyVault } from '../store/database-key';
import { loadStationCredential } from '../sync/station-credential';

/**
 * Where the station's updater looks for releases: its own central server's /updates/,
 * from the serverUrl that provisioning wrote into station.json (not the placeholder
 * electron-builder wrote into the installer), with the station credential, which the
 * server asks for on the feed and the installers alike.
 */
export function updateFeedUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/updates`;
}

export interface UpdateFeed {
  url: string;
  headers: { authorization: string };
}

export async function updateFeed(config: Pick<StationConfig, 'serverUrl' | 'stationId'>, credentialVault: KeyVault): Promise<UpdateFeed | { problem: string }> {
  if (!config.serverUrl) return { problem: 'No central server is configured for this station (serverUrl in station.json), so there are no updates.' };
  const credential = await loadStationCredential(credentialVault, config.stationId);
  if ('problem' in credential) return credential;
  return { url: updateFeedUrl(config.serverUrl), headers: { authorization: `Bearer ${credential.token}` } };
}
