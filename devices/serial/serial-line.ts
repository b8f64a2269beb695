import { EventEmitter } from 'node:events';
import type { SerialPort } from 'serialport';
import type { DeviceAddress, DeviceErrorCode, DeviceState } from '../types';
import { closePort, describeOpenFailure, deviceNodeOf } from './port-checks';
import { loadSerialPortLibrary } from './serialport-library';
import type { LoadSerialPortLibrary } from './serialport-library';

/**
 * One serial port kept open for a driver: opened with the address's settings, its bytes
 * handed on with the moment they arrived, and reopened by itself after the device goes away.
 *
 * "Gone" is whatever comes first: an 'error' from the port (a hung-up line fails its read
 * with EIO), a 'close' (a pulled USB adapter: ENXIO, which serialport turns into a close), or
 * the port's path no longer leading to the device node that was opened (checked every
 * second). That last check is needed because serialport's Linux binding, when a line hangs up
 * between two of its reads, reads 0 bytes and retries for ever, saying nothing; the kernel
 * (devtmpfs) and udev remove or replace a pulled device's node and links, which the check sees.
 * Then the line reopens the same path after 250 ms, doubling up to 5 s, until it opens or
 * the driver closes it. States: connecting → ready → error(retrying) → connecting → … → ready.
 */

export type SerialAddress = Extract<DeviceAddress, { transport: 'serial' }>;

export interface ReconnectBackoff {
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: ReconnectBackoff = { firstDelayMs: 250, maxDelayMs: 5_000 };

/** The waits before each reconnect attempt: the first delay, doubling, then the maximum for ever. */
export function* reconnectDelays(backoff: ReconnectBackoff): Generator<number, never> {
  for (let delay = backoff.firstDelayMs; ; delay = Math.min(delay * 2, backoff.maxDelayMs)) yield delay;
}

export interface SerialLineOptions {
  backoff?: ReconnectBackoff;
  /** How often an open port's path is checked to still lead to the device opened. Default 1000 ms. */
  presenceCheckMs?: number;
  /** How serialport is loaded; tests give one that fails, to see the state a station without it shows. */
  loadLibrary?: LoadSerialPortLibrary;
}

interface SerialLineEvents {
  state: [state: DeviceState];
  /** A chunk as the port delivered it, and process.hrtime.bigint() when it did. */
  bytes: [chunk: Buffer, receivedAt: bigint];
}

export class SerialLine {
  readonly #address: SerialAddress;
  readonly #backoff: ReconnectBackoff;
  readonly #loadLibrary: LoadSerialPortLibrary;
  readonly #presenceCheckMs: number;
  readonly #events = new EventEmitter<SerialLineEvents>();
  #state: DeviceState = { kind: 'closed' };
  /** Open was asked for and close was not: the line keeps (re)opening. */
  #wanted = false;
  #port: SerialPort | null = null;
  #opening: Promise<void> | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #presenceTimer: NodeJS.Timeout | null = null;
  #delays: Generator<number, never>;

  constructor(address: SerialAddress, options: SerialLineOptions = {}) {
    this.#address = address;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#loadLibrary = options.loadLibrary ?? loadSerialPortLibrary;
    this.#presenceCheckMs = options.presenceCheckMs ?? 1_000;
    this.#delays = reconnectDelays(this.#backoff);
  }

  get path(): string {
    return this.#address.path;
  }

  on<E extends keyof SerialLineEvents>(event: E, listener: (...args: SerialLineEvents[E]) => void): this {
    this.#events.on<E>(event, listener as never);
    return this;
  }

  off<E extends keyof SerialLineEvents>(event: E, listener: (...args: SerialLineEvents[E]) => void): this {
    this.#events.off<E>(event, listener as never);
    return this;
  }

  state(): DeviceState {
    return this.#state;
  }

  /** Resolves once the first attempt has opened the port or failed (and, if it can, is retrying); never rejects. */
  async open(): Promise<void> {
    if (this.#wanted) return;
    this.#wanted = true;
    this.#delays = reconnectDelays(this.#backoff);
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#wanted = false;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#stopPresenceCheck();
    const port = this.#port;
    this.#port = null;
    if (port) await closePort(port);
    // An open in flight sees it is no longer wanted and closes what it opened.
    await this.#opening;
    if (this.#state.kind !== 'closed') this.#setState({ kind: 'closed' });
  }

  #connect(): Promise<void> {
    this.#opening = this.#openPort().finally(() => (this.#opening = null));
    return this.#opening;
  }

  async #openPort(): Promise<void> {
    this.#setState({ kind: 'connecting' });
    let library;
    try {
      library = await this.#loadLibrary();
    } catch (error) {
      this.#giveUp(error instanceof Error ? error.message : String(error), 'DEVICE_LIBRARY_MISSING');
      return;
    }
    if (!this.#wanted) return;
    const { path, baudRate, parity, dataBits, stopBits } = this.#address;
    let port: SerialPort;
    try {
      port = new library.SerialPort({ path, baudRate, parity, dataBits, stopBits, autoOpen: false });
    } catch (error) {
      // serialport checks the settings before touching the device: retrying would not help.
      this.#giveUp(`The settings for ${path} are refused: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const failure = await new Promise<Error | null>((resolve) => port.open(resolve));
    if (!this.#wanted) {
      if (!failure) await closePort(port);
      return;
    }
    if (failure) {
      const { reason, code } = describeOpenFailure(path, failure, 'the reader');
      this.#setState({ kind: 'error', reason, retrying: true, code });
      this.#scheduleRetry();
      return;
    }
    const device = await deviceNodeOf(path);
    if (!this.#wanted) {
      await closePort(port);
      return;
    }
    this.#watch(port, device);
    this.#delays = reconnectDelays(this.#backoff);
    this.#setState({ kind: 'ready' });
  }

  #watch(port: SerialPort, device: string | null): void {
    this.#port = port;
    this.#presenceTimer = setInterval(() => {
      void deviceNodeOf(this.path).then((now) => {
        if (now !== device) this.#lost(port);
      });
    }, this.#presenceCheckMs);
    // The port itself keeps the process alive while it is open; the check need not.
    this.#presenceTimer.unref();
    port.on('data', (chunk: Buffer) => {
      const receivedAt = process.hrtime.bigint();
      if (this.#port === port) this.#events.emit('bytes', chunk, receivedAt);
    });
    port.on('error', () => this.#lost(port));
    port.on('close', () => this.#lost(port));
  }

  #lost(port: SerialPort): void {
    if (this.#port !== port) return;
    this.#port = null;
    this.#stopPresenceCheck();
    // A hung-up port may still hold its file descriptor: release it before reopening the path.
    if (port.isOpen) void closePort(port);
    this.#setState({
      kind: 'error',
      reason: `The device at ${this.path} went away (unplugged, switched off or its cable pulled); reconnecting.`,
      retrying: true,
      code: 'DEVICE_CLOSED',
    });
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#connect();
    }, this.#delays.next().value);
  }

  #stopPresenceCheck(): void {
    if (this.#presenceTimer) clearInterval(this.#presenceTimer);
    this.#presenceTimer = null;
  }

  #giveUp(reason: string, code?: DeviceErrorCode): void {
    this.#wanted = false;
    this.#setState({ kind: 'error', reason, retrying: false, code });
  }

  #setState(state: DeviceState): void {
    this.#state = state;
    this.#events.emit('state', state);
  }
}
