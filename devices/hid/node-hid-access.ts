import type * as NodeHid from 'node-hid';
import type { HidAccess, HidConnection, HidDeviceInfo } from './hid-access';
import { hidErrorFor } from './hid-errors';

/**
 * HidAccess over node-hid's async API (HIDAsync: reads run on a worker thread, so a
 * waiting read never blocks the main process).
 *
 * node-hid is loaded lazily, on the first open of a HID reader, and its native part needs
 * libusb-1.0 and udev (Linux) at run time: a station without them, or a user without
 * access to /dev/hidraw*, must get a state that says so, never a crash at start-up. The
 * module itself imports cleanly without libusb (it loads its binding on first use), so
 * the loader asks for the hidapi version to make the binding load there and then.
 */

type NodeHidModule = typeof NodeHid;

export type NodeHidImporter = () => Promise<NodeHidModule>;

const importNodeHid: NodeHidImporter = () => import('node-hid');

class NodeHidConnection implements HidConnection {
  constructor(private readonly device: NodeHid.HIDAsync) {}

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const report = await this.device.read(timeoutMs);
    return report === undefined || report.length === 0 ? null : new Uint8Array(report);
  }

  close(): Promise<void> {
    return this.device.close();
  }
}

/** Loads node-hid and checks that its native part runs here. Rejects with DEVICE_LIBRARY_MISSING when it does not. */
export async function loadNodeHidAccess(importer: NodeHidImporter = importNodeHid): Promise<HidAccess> {
  let hid: NodeHidModule;
  try {
    hid = await importer();
    hid.getHidapiVersion();
  } catch (error) {
    throw hidErrorFor(error, 'load');
  }
  return {
    async enumerate(vendorId: number, productId: number): Promise<HidDeviceInfo[]> {
      let devices: NodeHid.Device[];
      try {
        devices = await hid.devicesAsync(vendorId, productId);
      } catch (error) {
        throw hidErrorFor(error, 'enumerate');
      }
      const found: HidDeviceInfo[] = [];
      for (const device of devices) {
        if (device.path === undefined) continue;
        found.push({
          vendorId: device.vendorId,
          productId: device.productId,
          path: device.path,
          ...(device.product === undefined ? {} : { product: device.product }),
          ...(device.usagePage === undefined ? {} : { usagePage: device.usagePage }),
          ...(device.usage === undefined ? {} : { usage: device.usage }),
        });
      }
      return found;
    },
    async open(path: string): Promise<HidConnection> {
      try {
        return new NodeHidConnection(await hid.HIDAsync.open(path));
      } catch (error) {
        throw hidErrorFor(error, 'open', path);
      }
    },
  };
}
