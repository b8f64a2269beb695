import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SerialMrzReader } from './mrz/serial-mrz-reader';
import { DriverRegistry } from './registry';
import { DeviceError } from './types';
import type { DeviceAddress, DriverFactory, MrzReader } from './types';

const serial: DeviceAddress = { transport: 'serial', path: '/dev/ttyACM0', baudRate: 115200, parity: 'none', dataBits: 8, stopBits: 1 };

/** What a vendor's e-passport SDK driver would register: its own protocol name and transport. */
const vendorChipReader: DriverFactory = {
  protocol: 'acme-epassport',
  kind: 'mrz-reader',
  transports: ['vendor-sdk'],
  create: () => {
    const events = new EventEmitter();
    const reader: MrzReader = {
      kind: 'mrz-reader',
      protocol: 'acme-epassport',
      on: (event, listener) => (events.on(event, listener), reader),
      off: (event, listener) => (events.off(event, listener), reader),
      state: () => ({ kind: 'closed' }),
      open: async () => undefined,
      close: async () => undefined,
    };
    return reader;
  },
};

describe('the driver registry', () => {
  it('knows the serial MRZ framings, each making a serial reader of its framing', () => {
    const registry = new DriverRegistry();
    for (const [protocol, framing] of [
      ['mrz-stx-etx', 'stx-etx'],
      ['mrz-soh-bcc', 'soh-bcc'],
      ['mrz-json', 'json'],
    ] as const) {
      const factory = registry.lookup(protocol);
      expect(factory).toMatchObject({ protocol, kind: 'mrz-reader', transports: ['serial'] });
      const reader = factory!.create(serial);
      expect(reader).toBeInstanceOf(SerialMrzReader);
      expect(reader).toMatchObject({ protocol, framing });
      expect(reader.state()).toEqual({ kind: 'closed' });
    }
  });

  it('refuses to make a serial reader for an address that is not a serial port', () => {
    const factory = new DriverRegistry().lookup('mrz-stx-etx')!;
    expect(() => factory.create({ transport: 'hid', vendorId: 1, productId: 2 })).toThrow(DeviceError);
  });

  it('takes a vendor SDK driver, and finds it by its protocol', () => {
    const registry = new DriverRegistry();
    registry.register(vendorChipReader);
    expect(registry.lookup('acme-epassport')).toBe(vendorChipReader);
    expect(registry.drivers().map((driver) => driver.protocol)).toContain('acme-epassport');
    expect(registry.lookup('nobody')).toBeUndefined();
  });

  it('refuses a second driver for a protocol it knows', () => {
    const registry = new DriverRegistry();
    expect(() => registry.register({ ...vendorChipReader, protocol: 'mrz-json' })).toThrow(/already registered/);
    expect(registry.lookup('mrz-json')).not.toBe(vendorChipReader);
  });
});
