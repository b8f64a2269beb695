import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { derivePasswordHash } from '../../domain/identity';
import { parseMrz } from '../../domain/mrz';
import type { DeviceReadingView, DevicesStatus } from '../api/contract';
import { scryptDerive } from '../auth/scrypt';
import { composeMain, type MainProcess } from '../compose';
import { silentLogger } from '../log';
import { fileKeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { eventually } from '../../test/support/sync-rig';
import type { DeviceSettings } from './device-settings';

const STATION = 'BIH-DEV-01';
const PASSWORD = 'readers on every desk';

const settings: DeviceSettings = {
  devices: [
    { id: 'training', label: 'Training reader', protocol: 'training', address: { transport: 'simulator' }, enabled: true },
    { id: 'fingers', label: 'Fingerprint scanner (training)', protocol: 'zfm', address: { transport: 'simulator', scenario: 'normal' }, enabled: true },
  ],
};

describe('devices through the API contract', () => {
  let main: MainProcess | undefined;
  afterEach(async () => {
    await main?.stop();
    main = undefined;
  });

  async function started(): Promise<MainProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-devices-api-'));
    writeFileSync(join(dataDir, 'devices.json'), JSON.stringify(settings));
    main = composeMain({ stationId: STATION, serverUrl: null, dataDir, probeIntervalMs: 60_000 }, silentLogger, { keyVault: fileKeyVault(stationStoreFiles(dataDir).keyFile) });
    main.start();
    const running = main;
    await eventually(() => running.services.store() !== null, 'the store opens');
    const passwordHash = await derivePasswordHash(PASSWORD, randomBytes(16), scryptDerive);
    const common = { passwordHash, mustChangePassword: false, stationIds: [STATION], active: true, updatedAt: Date.now() };
    await running.services.store()!.database.officers.bulkInsert([
      { id: 'o1', name: 'Counter Officer', username: 'counter', badgeNumber: 'B-1', role: 'officer', ...common },
      { id: 'a1', name: 'Station Admin', username: 'admin', badgeNumber: 'A-1', role: 'admin', ...common },
    ]);
    return running;
  }

  async function loggedIn(running: MainProcess, username: string) {
    const context = running.dispatcher.openSession();
    await expect(running.dispatcher.request('auth.login', { username, password: PASSWORD }, context)).resolves.toMatchObject({ ok: true });
    return context;
  }

  it('streams device states and readings to an officer, and captures a finger as a PNG, audited', async () => {
    const running = await started();
    const context = await loggedIn(running, 'counter');
    const states: DevicesStatus[] = [];
    const readings: DeviceReadingView[] = [];
    expect(running.dispatcher.subscribe('devices.statusChanges', {}, context, (event) => states.push(event as DevicesStatus)).ok).toBe(true);
    expect(running.dispatcher.subscribe('devices.readings', {}, context, (event) => readings.push(event as DeviceReadingView)).ok).toBe(true);
    await eventually(() => states.at(-1)?.devices.every((device) => device.state === 'ready') === true, 'both devices are ready');

    await expect(running.dispatcher.request('devices.presentTraining', { deviceId: 'training' }, context)).resolves.toEqual({ ok: true, value: {} });
    await expect(running.dispatcher.request('devices.wedgeReading', { text: 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10' }, context)).resolves.toEqual({ ok: true, value: {} });
    await eventually(() => readings.length === 2, 'both readings arrive');
    expect(readings.map((reading) => [reading.deviceId, parseMrz(reading.text).ok])).toEqual([
      ['training', true],
      ['keyboard-wedge', true],
    ]);

    const captured = await running.dispatcher.request('devices.captureFinger', { deviceId: 'fingers', timeoutMs: 20_000 }, context);
    expect(captured).toMatchObject({ ok: true, value: { width: 256, height: 288, templateFormat: expect.any(String) } });
    const png = Buffer.from((captured as { value: { pngBase64: string } }).value.pngBase64, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const trail = await running.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec();
    expect(trail.map((entry) => entry.action)).toEqual(['login', 'fingerprint.capture']);
    await expect(running.dispatcher.request('devices.captureFinger', { deviceId: 'training', timeoutMs: 1_000 }, context)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('lets only an admin see and change the device settings, and audits the change', async () => {
    const running = await started();
    const officer = await loggedIn(running, 'counter');
    await expect(running.dispatcher.request('devices.settings', {}, officer)).resolves.toMatchObject({ ok: false, error: { code: 'ROLE_REFUSED' } });
    await expect(running.dispatcher.request('devices.configure', { devices: [] }, officer)).resolves.toMatchObject({ ok: false, error: { code: 'ROLE_REFUSED' } });
    const admin = await loggedIn(running, 'admin');
    await expect(running.dispatcher.request('devices.settings', {}, admin)).resolves.toEqual({ ok: true, value: settings });
    const changed = await running.dispatcher.request('devices.configure', { devices: [settings.devices[0]!] }, admin);
    expect(changed).toMatchObject({ ok: true, value: { devices: [{ id: 'training', state: 'ready' }], problem: null } });
    await expect(running.dispatcher.request('devices.available', {}, admin)).resolves.toMatchObject({ ok: true, value: { serial: { ports: expect.any(Array) }, hid: { devices: expect.any(Array) } } });
    const actions = (await running.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => [entry.officerId, entry.action]);
    expect(actions).toContainEqual(['a1', 'config.devices']);
    expect(actions).toContainEqual(['o1', 'access.refused']);
  });
});
