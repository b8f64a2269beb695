import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derivePasswordHash } from '../../domain/identity';
import type { Officer } from '../../domain/records';
import type { CallContext, RequestInput, RequestName, RequestOutput } from '../../main/api/types';
import { scryptDerive } from '../../main/auth/scrypt';
import { composeMain, type MainProcess } from '../../main/compose';
import type { DeviceSettings } from '../../main/devices/device-settings';
import { silentLogger } from '../../main/log';
import type { StationDatabase } from '../../main/services/station-store';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { eventually } from './sync-rig';

/**
 * A station's main process for the API contract tests: no server, no window, its store
 * open in a temporary folder and its officers in it as if pulled earlier (so that a login
 * is checked on the station alone). Stop what a test file started with `stopMainStations`
 * in its afterEach or afterAll.
 */

/** An officer as the tests name one; the station adds the password hash and the rest. */
export type StationOfficer = Pick<Officer, 'id' | 'name' | 'username' | 'badgeNumber' | 'role'>;

export interface MainStationOptions {
  stationId: string;
  officers: StationOfficer[];
  /** Every officer's password. */
  password: string;
  /** The station clock (logins, records, the officers' updatedAt); the real one otherwise. */
  now?: () => number;
  /** Written to the station's devices.json before it starts. */
  devices?: DeviceSettings;
  /** Puts reference data (stations, code lists, alerts) or earlier records into the store, after the officers. */
  seed?: (database: StationDatabase) => Promise<void>;
}

export interface MainStation {
  main: MainProcess;
  dataDir: string;
}

const running: MainStation[] = [];

export async function startMainStation(options: MainStationOptions): Promise<MainStation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-main-station-'));
  if (options.devices) writeFileSync(join(dataDir, 'devices.json'), JSON.stringify(options.devices));
  const main = composeMain({ stationId: options.stationId, serverUrl: null, dataDir, probeIntervalMs: 60_000 }, silentLogger, {
    keyVault: fileKeyVault(stationStoreFiles(dataDir).keyFile),
    ...(options.now ? { now: options.now } : {}),
  });
  const station = { main, dataDir };
  running.push(station);
  main.start();
  await eventually(() => main.services.store() !== null, 'the store opens');
  const database = main.services.store()!.database;
  await insertOfficers(database, options.stationId, options.officers, options.password, options.now?.() ?? Date.now());
  await options.seed?.(database);
  return station;
}

/** Stops every station this test file started and not yet stopped, and removes its folder. */
export async function stopMainStations(): Promise<void> {
  for (const { main, dataDir } of running.splice(0)) {
    await main.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Active officers of the station, each with a scrypt hash of the password. */
export async function insertOfficers(database: StationDatabase, stationId: string, officers: StationOfficer[], password: string, updatedAt: number): Promise<void> {
  for (const officer of officers) {
    await database.officers.insert({
      ...officer,
      passwordHash: await derivePasswordHash(password, randomBytes(16), scryptDerive),
      mustChangePassword: false,
      stationIds: [stationId],
      active: true,
      updatedAt,
    });
  }
}

/** A new session (as a window opens one), logged in as the officer. */
export async function loginAs(main: MainProcess, username: string, password: string): Promise<CallContext> {
  const context = main.dispatcher.openSession();
  await requestOk(main, context, 'auth.login', { username, password });
  return context;
}

/** The answer of a request that must succeed; fails the test with the API's error otherwise. */
export async function requestOk<N extends RequestName>(main: MainProcess, context: CallContext, name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
  const result = await main.dispatcher.request(name, input, context);
  if (!result.ok) {
    const issues = result.error.issues?.length ? ` ${JSON.stringify(result.error.issues)}` : '';
    throw new Error(`${name} failed: ${result.error.code} ${result.error.message}${issues}`);
  }
  return result.value as RequestOutput<N>;
}
