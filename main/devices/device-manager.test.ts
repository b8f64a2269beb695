import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DriverRegistry, builtInDrivers } from '../../devices';
import { stxEtxFrame } from '../../devices/simulators/mrz-serial-simulator';
import { trainingReaderFactory } from '../../devices/simulators/training-reader';
import { parseMrz } from '../../domain/mrz';
import { openPseudoTerminal, type PseudoTerminal } from '../../test/support/pty';
import { eventually } from '../../test/support/sync-rig';
import { silentLogger } from '../log';
import { DeviceManager, type DeviceReading, type DeviceView } from './device-manager';
import { loadDeviceSettings, type DeviceSettings } from './device-settings';

const SPECIMEN = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

function managerWith(settings: DeviceSettings | string): { manager: DeviceManager; file: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'mis-devices-')), 'devices.json');
  writeFileSync(file, typeof settings === 'string' ? settings : JSON.stringify(settings));
  const manager = new DeviceManager(file, new DriverRegistry([...builtInDrivers, trainingReaderFactory]), silentLogger);
  return { manager, file };
}

describe('the device manager', () => {
  let manager: DeviceManager | undefined;
  let pty: PseudoTerminal | undefined;
  afterEach(async () => {
    await manager?.stop();
    await pty?.close();
    manager = undefined;
    pty = undefined;
  });

  it('opens a serial reader, passes its documents on, and streams each state through an unplug and a replug', async () => {
    pty = await openPseudoTerminal();
    ({ manager } = managerWith({
      devices: [{ id: 'counter-1', label: 'Passport reader, counter 1', protocol: 'mrz-stx-etx', address: { transport: 'serial', path: pty.path, baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, enabled: true }],
    }));
    const states: string[] = [];
    manager.onStatus((views) => {
      const view = views[0];
      const label = view ? `${view.state}${view.retrying ? '(retrying)' : ''}` : 'none';
      if (states.at(-1) !== label) states.push(label);
    });
    const readings: DeviceReading[] = [];
    manager.onReading((reading) => readings.push(reading));
    await manager.start();
    await eventually(() => manager!.status()[0]?.state === 'ready', 'the reader is ready');

    await pty.write(stxEtxFrame(SPECIMEN));
    await eventually(() => readings.length === 1, 'the document arrives');
    expect(readings[0]).toMatchObject({ deviceId: 'counter-1', framing: 'stx-etx', text: SPECIMEN.join('\n') });
    expect(parseMrz(readings[0]!.text)).toMatchObject({ ok: true, document: { valid: true } });

    // Half a document, then the cable is pulled: the half must never surface.
    await pty.write(stxEtxFrame(SPECIMEN).subarray(0, 40));
    await pty.unplug();
    await eventually(() => manager!.status()[0]?.state === 'error', 'the reader is reported gone');
    expect(manager.status()[0]).toMatchObject({ state: 'error', retrying: true, detail: expect.any(String) });
    await pty.replug();
    await eventually(() => manager!.status()[0]?.state === 'ready', 'the reader is back');
    await pty.write(stxEtxFrame(SPECIMEN));
    await eventually(() => readings.length === 2, 'the next document arrives');
    expect(readings[1]!.text).toBe(SPECIMEN.join('\n'));
    expect(states[0]).toBe('connecting');
    expect(states).toContain('ready');
    expect(states).toContain('error(retrying)');
    expect(states.at(-1)).toBe('ready');
  });

  it('reports a protocol with no driver and a disabled device as states, and serves a training reader', async () => {
    ({ manager } = managerWith({
      devices: [
        { id: 'vendor', label: 'Chip reader', protocol: 'acme-epassport', address: { transport: 'vendor-sdk', sdk: 'acme', options: {} }, enabled: true },
        { id: 'spare', label: 'Spare reader', protocol: 'mrz-soh-bcc', address: { transport: 'serial', path: '/dev/null', baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, enabled: false },
        { id: 'training', label: 'Training reader', protocol: 'training', address: { transport: 'simulator' }, enabled: true },
      ],
    }));
    const readings: DeviceReading[] = [];
    manager.onReading((reading) => readings.push(reading));
    await manager.start();
    const byId = (id: string): DeviceView | undefined => manager!.status().find((view) => view.id === id);
    expect(byId('vendor')).toMatchObject({ state: 'error', detail: expect.stringContaining("No driver for the protocol 'acme-epassport'") });
    expect(byId('spare')).toMatchObject({ state: 'disabled' });
    expect(byId('training')).toMatchObject({ state: 'ready', kind: 'mrz-reader' });
    manager.presentTrainingDocument('training');
    manager.wedgeReading(SPECIMEN.join('\n'));
    expect(readings.map((reading) => reading.deviceId)).toEqual(['training', 'keyboard-wedge']);
    expect(parseMrz(readings[0]!.text)).toMatchObject({ ok: true, document: { valid: true } });
    expect(() => manager!.presentTrainingDocument('vendor')).toThrow(/no training reader/);
  });

  it('says what is wrong with a settings file it cannot use, and saves new settings whole', async () => {
    const made = managerWith('{ "devices": [ { "id": "Bad Id" } ] }');
    manager = made.manager;
    await manager.start();
    expect(manager.problem).toMatch(/devices\.0\.id/);
    expect(manager.status()).toEqual([]);
    const settings: DeviceSettings = { devices: [{ id: 'training', label: 'Training reader', protocol: 'training', address: { transport: 'simulator' }, enabled: true }] };
    await manager.configure(settings);
    expect(manager.problem).toBeNull();
    expect(loadDeviceSettings(made.file)).toEqual(settings);
    expect(manager.status()).toMatchObject([{ id: 'training', state: 'ready' }]);
  });
});
