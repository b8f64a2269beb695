import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StationDatabase } from '../../main/services/station-store';
import type { DeviceSettings } from '../../main/devices/device-settings';
import { silentLogger } from '../../main/log';
import { startWebApp, type RunningWebApp } from '../../main/web/start';
import { insertOfficers, type StationOfficer } from './main-station';
import { eventually } from './sync-rig';

/**
 * `npm run start:web`'s station, without a server, with its store open and one officer in
 * it as if pulled earlier (so that the login is checked on the station alone), and the
 * devices given.
 */
export async function startWebStation(options: {
  stationId: string;
  officer: StationOfficer;
  password: string;
  devices?: DeviceSettings;
  /** The central server, when the test runs one (with the station's credential already in dataDir). */
  serverUrl?: string;
  dataDir?: string;
  /** Puts reference data (stations, code lists, alerts) or earlier records into the store before the test. */
  seed?: (database: StationDatabase) => Promise<void>;
}): Promise<RunningWebApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mis-e2e-station-'));
  if (options.devices) writeFileSync(join(dataDir, 'devices.json'), JSON.stringify(options.devices));
  const webApp = await startWebApp({ stationId: options.stationId, serverUrl: options.serverUrl ?? null, dataDir, probeIntervalMs: 60_000 }, silentLogger);
  await eventually(() => webApp.main.services.store() !== null, 'the store opens');
  await insertOfficers(webApp.main.services.store()!.database, options.stationId, [options.officer], options.password, Date.now());
  await options.seed?.(webApp.main.services.store()!.database);
  return webApp;
}
