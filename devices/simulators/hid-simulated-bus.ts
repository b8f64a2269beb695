import type { HidAccess, HidConnection, HidDeviceInfo } from '../hid/hid-access';

/**
 * A HID bus in memory, standing in for node-hid: devices are plugged and unplugged,
 * input reports sent, and a driver reads them through the same HidAccess it uses on a
 * station. Errors are the plain Errors node-hid throws, with node-hid's wording, so that
 * the driver's handling of them is what runs on a station.
 *
 * A real virtual HID device (Linux uhid) would need /dev/uhid and root; the machines these
 * tests run on have neither, so the bus is simulated.
 */

type Waiter = (outcome: { report: Uint8Array } | { error: Error } | { timeout: true }) => void;

export class SimulatedHidDevice {
  private queue: Uint8Array[] = [];
  private waiter: Waiter | null = null;
  private idleWaiters: (() => void)[] = [];
  private openConnection: SimulatedConnection | null = null;
  plugged = true;
  /** When set, open() fails with this error (e.g. node-hid's "Permission denied"). */
  refuseOpen: Error | null = null;
  opens = 0;

  constructor(readonly info: HidDeviceInfo) {}

  /** A driver has the device open. */
  get isOpen(): boolean {
    return this.openConnection !== null;
  }

  /** Input reports, delivered in order to the open connection. Reports sent while nobody has the device open are lost, as with hidraw. */
  send(...reports: Uint8Array[]): void {
    if (!this.plugged || this.openConnection === null) return;
    this.queue.push(...reports);
    this.deliver();
  }

  /** Resolves when the reader has taken every report sent and is waiting for the next: it has handled them all. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** @internal the bus's side */
  open(): SimulatedConnection {
    this.opens += 1;
    this.queue = [];
    const connection = new SimulatedConnection(this);
    this.openConnection = connection;
    return connection;
  }

  /** @internal */
  unplugged(): void {
    this.plugged = false;
    this.queue = [];
    this.settle({ error: new Error('could not read data from device: read error (No such device)') });
  }

  /** @internal */
  read(connection: SimulatedConnection, timeoutMs: number): Promise<Uint8Array | null> {
    if (connection !== this.openConnection) return Promise.reject(new Error('device has been closed'));
    if (!this.plugged) return Promise.reject(new Error('could not read data from device: read error (No such device)'));
    const report = this.queue.shift();
    if (report !== undefined) return Promise.resolve(report);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle({ timeout: true }), timeoutMs);
      this.waiter = (outcome) => {
        clearTimeout(timer);
        if ('report' in outcome) resolve(outcome.report);
        else if ('error' in outcome) reject(outcome.error);
        else resolve(null);
      };
      this.notifyIdle();
    });
  }

  /** @internal */
  closed(connection: SimulatedConnection): void {
    if (connection !== this.openConnection) return;
    this.openConnection = null;
    this.settle({ error: new Error('device has been closed') });
  }

  private deliver(): void {
    const report = this.waiter === null ? undefined : this.queue.shift();
    if (report !== undefined) this.settle({ report });
  }

  private settle(outcome: Parameters<Waiter>[0]): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(outcome);
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.waiter !== null;
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

class SimulatedConnection implements HidConnection {
  constructor(private readonly device: SimulatedHidDevice) {}

  read(timeoutMs: number): Promise<Uint8Array | null> {
    return this.device.read(this, timeoutMs);
  }

  async close(): Promise<void> {
    this.device.closed(this);
  }
}

export class SimulatedHidBus implements HidAccess {
  private readonly devices = new Map<string, SimulatedHidDevice>();

  plug(info: HidDeviceInfo): SimulatedHidDevice {
    const device = new SimulatedHidDevice(info);
    this.devices.set(info.path, device);
    return device;
  }

  unplug(path: string): void {
    const device = this.devices.get(path);
    if (device === undefined) return;
    this.devices.delete(path);
    device.unplugged();
  }

  async enumerate(vendorId: number, productId: number): Promise<HidDeviceInfo[]> {
    return [...this.devices.values()]
      .filter((device) => device.info.vendorId === vendorId && device.info.productId === productId)
      .map((device) => ({ ...device.info }));
  }

  async open(path: string): Promise<HidConnection> {
    const device = this.devices.get(path);
    if (device === undefined) throw new Error(`cannot open device with path ${path}`);
    if (device.refuseOpen !== null) throw device.refuseOpen;
    return device.open();
  }
}
