import { gt521ScannerFactory, zfmScannerFactory } from './fingerprint';
import { hidPosReaderFactory } from './hid';
import { serialMrzReaderDrivers } from './mrz/serial-mrz-reader';
import type { DriverFactory } from './types';

/**
 * Which driver makes a device for a protocol name: the built-in drivers, and any a vendor
 * SDK adds at start-up (a ten-print scanner, an e-passport chip reader) with register().
 * The station's device settings name a protocol and an address; the registry turns them
 * into a device.
 */

/** Every driver that ships with the station, one entry (or list) per driver. */
export const builtInDrivers: readonly DriverFactory[] = [...serialMrzReaderDrivers, hidPosReaderFactory, zfmScannerFactory, gt521ScannerFactory];

export class DriverRegistry {
  readonly #factories = new Map<string, DriverFactory>();

  constructor(factories: readonly DriverFactory[] = builtInDrivers) {
    for (const factory of factories) this.register(factory);
  }

  /** Adds a driver; a second driver for a protocol already known is refused (it would silently shadow the first). */
  register(factory: DriverFactory): void {
    if (this.#factories.has(factory.protocol)) {
      throw new Error(`A driver for the protocol '${factory.protocol}' is already registered; give the new driver its own protocol name.`);
    }
    this.#factories.set(factory.protocol, factory);
  }

  lookup(protocol: string): DriverFactory | undefined {
    return this.#factories.get(protocol);
  }

  /** The registered drivers, in the order they were registered. */
  drivers(): DriverFactory[] {
    return [...this.#factories.values()];
  }
}
