import { describe, expect, it } from 'vitest';
import { DeviceError } from '../types';
import { hidErrorFor } from './hid-errors';
import { HidMrzReader } from './hid-mrz-reader';
import { loadNodeHidAccess } from './node-hid-access';

describe('node-hid access', () => {
  it('loads the real node-hid, or says the native library is missing; it never crashes the caller', async () => {
    let outcome: 'loaded' | DeviceError;
    try {
      const access = await loadNodeHidAccess();
      // No device has these ids; enumerating must still work once the library loads.
      expect(await access.enumerate(0xfffe, 0xfffd)).toEqual([]);
      outcome = 'loaded';
    } catch (error) {
      if (!(error instanceof DeviceError)) throw error;
      outcome = error;
    }
    if (outcome !== 'loaded') {
      expect(outcome.code).toBe('DEVICE_LIBRARY_MISSING');
      expect(outcome.message).toMatch(/install libusb-1\.0/);
    }
  });

  it('gives a reader over the real node-hid a clear error state for a device that is not there', async () => {
    const reader = new HidMrzReader({ vendorId: 0xfffe, productId: 0xfffd });
    try {
      await reader.open();
      const state = reader.state();
      expect(state.kind).toBe('error');
      expect(['DEVICE_LIBRARY_MISSING', 'DEVICE_NOT_FOUND']).toContain(state.kind === 'error' ? state.code : undefined);
    } finally {
      await reader.close();
    }
    expect(reader.state()).toEqual({ kind: 'closed' });
  });

  it('turns a failed import of node-hid into DEVICE_LIBRARY_MISSING', async () => {
    const failed = loadNodeHidAccess(() => Promise.reject(new Error("Cannot find module 'node-hid'")));
    await expect(failed).rejects.toMatchObject({ code: 'DEVICE_LIBRARY_MISSING' });
  });
});

describe('what a node-hid failure means', () => {
  const cases: { detail: string; doing: 'enumerate' | 'open'; code: DeviceError['code']; says: RegExp }[] = [
    { detail: 'libusb-1.0.so.0: cannot open shared object file: No such file or directory', doing: 'enumerate', code: 'DEVICE_LIBRARY_MISSING', says: /apt install libusb-1\.0-0/ },
    {
      detail: "cannot open device with path /dev/hidraw2: Failed to open a device with path '/dev/hidraw2': Permission denied",
      doing: 'open',
      code: 'DEVICE_PERMISSION',
      says: /No permission to open the HID reader at \/dev\/hidraw2\. IT: .*udev rule/,
    },
    { detail: 'cannot open device with path /dev/hidraw2: Device or resource busy', doing: 'open', code: 'DEVICE_BUSY', says: /in use by another program/ },
    { detail: 'cannot open device with path /dev/hidraw2', doing: 'open', code: 'DEVICE_NOT_FOUND', says: /may have been unplugged/ },
  ];
  for (const { detail, doing, code, says } of cases) {
    it(`${code} from "${detail.slice(0, 50)}"`, () => {
      const error = hidErrorFor(new Error(detail), doing, '/dev/hidraw2');
      expect(error.code).toBe(code);
      expect(error.message).toMatch(says);
    });
  }
});
