import { describe, expect, it } from 'vitest';
import { DeviceError, type DeviceState, type FingerprintScanner } from '../types';
import { gt521ScannerFactory, zfmScannerFactory } from './index';

function scannerFrom(device: ReturnType<typeof zfmScannerFactory.create>): FingerprintScanner {
  if (device.kind !== 'fingerprint-scanner') throw new Error(`expected a fingerprint scanner, got ${device.kind}`);
  return device;
}

function nextState(scanner: FingerprintScanner, kind: DeviceState['kind']): Promise<DeviceState> {
  return new Promise((resolve) => {
    const listener = (state: DeviceState): void => {
      if (state.kind !== kind) return;
      scanner.off('state', listener);
      resolve(state);
    };
    scanner.on('state', listener);
  });
}

describe('fingerprint driver factories', () => {
  it.each([
    { protocol: 'zfm', factory: zfmScannerFactory, width: 256, height: 288 },
    { protocol: 'gt521', factory: gt521ScannerFactory, width: 202, height: 258 },
  ])('$protocol: captures from the simulated module of a simulator address', async ({ factory, width, height }) => {
    expect(factory).toMatchObject({ kind: 'fingerprint-scanner', transports: ['serial', 'simulator'] });
    const scanner = scannerFrom(factory.create({ transport: 'simulator' }));
    expect(scanner.protocol).toBe(factory.protocol);
    await scanner.open();
    expect(scanner.state()).toEqual({ kind: 'ready' });
    const capture = await scanner.capture({ timeoutMs: 10_000 });
    expect(capture.image).toMatchObject({ width, height });
    expect(capture.template).not.toBeNull();
    await scanner.close();
    expect(scanner.state()).toEqual({ kind: 'closed' });
  });

  it('plays the unplug scenario: the capture fails with DEVICE_CLOSED, the driver reconnects, the next capture works', async () => {
    const scanner = scannerFrom(zfmScannerFactory.create({ transport: 'simulator', scenario: 'unplug-mid-upload' }));
    await scanner.open();
    const down = nextState(scanner, 'error');
    await expect(scanner.capture({ timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'DEVICE_CLOSED' });
    expect(await down).toMatchObject({ retrying: true });
    await nextState(scanner, 'ready');
    expect((await scanner.capture({ timeoutMs: 10_000 })).image.width).toBe(256);
    await scanner.close();
  });

  it('refuses transports the modules do not speak over, and unknown scenarios', () => {
    expect(() => gt521ScannerFactory.create({ transport: 'hid', vendorId: 1, productId: 2 })).toThrow(DeviceError);
    expect(() => zfmScannerFactory.create({ transport: 'simulator', scenario: 'no-such-scenario' })).toThrow(/no-such-scenario/);
  });
});
