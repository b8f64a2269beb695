/**
 * The little of a HID library the HID drivers need: find devices, open one, read input
 * reports, close. node-hid provides it on a station (node-hid-access.ts); the simulated
 * bus (devices/simulators/hid-simulated-bus.ts) provides it in tests and demos, so the
 * drivers are tested without hardware.
 */

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  /** The platform's path: /dev/hidraw3 on Linux (hidraw), a \\?\HID#... path on Windows. */
  path: string;
  product?: string;
  /** 0x8C (Bar Code Scanner) for a HID POS interface; a scanner often shows a keyboard interface too. */
  usagePage?: number;
  usage?: number;
}

export interface HidConnection {
  /**
   * The next input report, report id first; null when none came within timeoutMs.
   * Rejects when the device is gone (unplugged, switched off).
   */
  read(timeoutMs: number): Promise<Uint8Array | null>;
  close(): Promise<void>;
}

export interface HidAccess {
  /** The devices with this vendor and product id that are plugged in now. */
  enumerate(vendorId: number, productId: number): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidConnection>;
}

/**
 * Makes the access, loading its library. Rejects with a DeviceError: DEVICE_LIBRARY_MISSING
 * when the library cannot load on this machine.
 */
export type HidAccessLoader = () => Promise<HidAccess>;
