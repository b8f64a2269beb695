import { readdirSync } from 'node:fs';
import { hidErrorFor } from './hid/hid-errors';
import { loadSerialPortLibrary } from './serial/serialport-library';

/**
 * What is plugged into this machine, for IT staff setting a station up (`npm run devices
 * -- list`, the admin's device screen). Either library may be missing (serialport's
 * native part, libusb for node-hid) and udev may not be installed: each part says so in
 * `problem` and lists what it still can, never throws.
 */

export interface DiscoveredSerialPort {
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  /** The stable /dev/serial/by-id/… name, when udev gives one: use it in the settings, it survives replugging. */
  byId: string | null;
}

export interface DiscoveredHidDevice {
  path: string | null;
  vendorId: number;
  productId: number;
  manufacturer: string | null;
  product: string | null;
  usagePage: number | null;
}

export interface Discovery {
  serial: { ports: DiscoveredSerialPort[]; problem: string | null };
  hid: { devices: DiscoveredHidDevice[]; problem: string | null };
}

/** Serial device nodes by name, for when udev cannot describe them. */
function serialNodesByName(): string[] {
  return readdirSync('/dev')
    .filter((name) => /^tty(USB|ACM|AMA|XRUSB|WCH)\d+$/.test(name))
    .map((name) => `/dev/${name}`);
}

async function discoverSerialPorts(): Promise<Discovery['serial']> {
  let library;
  try {
    library = await loadSerialPortLibrary();
  } catch (error) {
    return { ports: [], problem: (error as Error).message };
  }
  try {
    const ports = await library.SerialPort.list();
    return {
      ports: ports.map((port) => ({
        path: port.path,
        vendorId: port.vendorId ?? null,
        productId: port.productId ?? null,
        manufacturer: port.manufacturer ?? null,
        byId: port.pnpId ? `/dev/serial/by-id/${port.pnpId}` : null,
      })),
      problem: null,
    };
  } catch (error) {
    const message = (error as Error).message;
    if (process.platform !== 'linux' || !/udevadm/.test(message)) return { ports: [], problem: `The serial ports could not be listed: ${message}` };
    return {
      ports: serialNodesByName().map((path) => ({ path, vendorId: null, productId: null, manufacturer: null, byId: null })),
      problem: 'udev is not installed (no udevadm), so vendor and product ids and makers are unknown: install udev to see them.',
    };
  }
}

async function discoverHidDevices(): Promise<Discovery['hid']> {
  try {
    const hid = await import('node-hid');
    // The module imports without its native part; this makes the binding load here.
    hid.getHidapiVersion();
    const devices = await hid.devicesAsync();
    return {
      devices: devices.map((device) => ({
        path: device.path ?? null,
        vendorId: device.vendorId,
        productId: device.productId,
        manufacturer: device.manufacturer ?? null,
        product: device.product ?? null,
        usagePage: device.usagePage ?? null,
      })),
      problem: null,
    };
  } catch (error) {
    return { devices: [], problem: hidErrorFor(error, 'enumerate').message };
  }
}

export async function discoverDevices(): Promise<Discovery> {
  const [serial, hid] = await Promise.all([discoverSerialPorts(), discoverHidDevices()]);
  return { serial, hid };
}
