import { HidPosAssembler } from '../mrz/hid-pos';
import type { HidPosAssemblerOptions, HidPosOutcome } from '../mrz/hid-pos';
import { DEFAULT_BACKOFF } from '../serial/serial-line';
import type { ReconnectBackoff } from '../serial/serial-line';
import { DeviceError } from '../types';
import type { DeviceState, MrzReader, MrzReaderEvents } from '../types';
import type { HidAccess, HidAccessLoader, HidConnection, HidDeviceInfo } from './hid-access';
import { hidErrorFor } from './hid-errors';
import { loadNodeHidAccess } from './node-hid-access';

/**
 * An MRZ reader in HID POS mode, read through node-hid (or any HidAccess).
 *
 * Life of the driver:
 *   open() → connecting → ready, reports assembled into documents;
 *   a read fails (unplugged, switched off) → the half message is dropped ('discarded'),
 *     error (retrying) → the device is looked for again after 250 ms, doubling to 5 s →
 *     connecting when it is back → ready;
 *   node-hid cannot load (no libusb/udev) → error DEVICE_LIBRARY_MISSING, not retrying,
 *     with what IT must do;
 *   close() → closed.
 * open() never rejects: how it went is in the state, as for every driver.
 *
 * While the device is missing the state stays an error (retrying); it goes to
 * 'connecting' only when the device is found again, so the officer does not see the
 * status flicker every few seconds.
 */

/** The HID POS interface of a scanner that also shows a keyboard interface. */
const BAR_CODE_SCANNER_USAGE_PAGE = 0x8c;

export interface HidMrzReaderOptions {
  vendorId: number;
  productId: number;
  /** Which of several matching devices; without it the HID POS interface (usage page 0x8C) is preferred. */
  path?: string;
  /** Default: node-hid, loaded on first open. */
  loadAccess?: HidAccessLoader;
  assembler?: HidPosAssemblerOptions;
  /** How long one read waits before the driver looks at overdue messages and at close(). Default 100 ms. */
  readTimeoutMs?: number;
  /** Reconnection backoff: first wait and the most it doubles to. Default 250 ms to 5 s, as for serial readers. */
  backoff?: ReconnectBackoff;
  /** Waits ms, or less when the signal aborts. Tests replace it to run the backoff without a clock. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Monotonic clock in ns. Default process.hrtime.bigint. */
  now?: () => bigint;
}

type Listeners = { [E in keyof MrzReaderEvents]: Set<MrzReaderEvents[E]> };

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

export class HidMrzReader implements MrzReader {
  readonly kind = 'mrz-reader' as const;
  readonly protocol = 'mrz-hid-pos';

  private readonly listeners: Listeners = { state: new Set(), document: new Set(), discarded: new Set() };
  private readonly loadAccess: HidAccessLoader;
  private readonly readTimeoutMs: number;
  private readonly backoff: ReconnectBackoff;
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly now: () => bigint;
  private readonly assembler: HidPosAssembler;
  private current: DeviceState = { kind: 'closed' };
  private run: { stop: AbortController; done: Promise<void>; firstAttempt: Promise<void> } | null = null;

  constructor(private readonly options: HidMrzReaderOptions) {
    this.loadAccess = options.loadAccess ?? (() => loadNodeHidAccess());
    this.readTimeoutMs = options.readTimeoutMs ?? 100;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.wait = options.wait ?? waitFor;
    this.now = options.now ?? (() => process.hrtime.bigint());
    this.assembler = new HidPosAssembler(options.assembler);
  }

  on<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this {
    this.listeners[event].add(listener);
    return this;
  }

  off<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this {
    this.listeners[event].delete(listener);
    return this;
  }

  state(): DeviceState {
    return this.current;
  }

  open(): Promise<void> {
    if (this.run !== null) return this.run.firstAttempt;
    const stop = new AbortController();
    let firstAttemptSettled: () => void = () => undefined;
    const firstAttempt = new Promise<void>((resolve) => {
      firstAttemptSettled = resolve;
    });
    this.setState({ kind: 'connecting' });
    const done = this.keepConnected(stop.signal, firstAttemptSettled)
      // Only a listener throwing gets here: stop visibly rather than leave a rejected promise behind.
      .catch((error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        this.fail(new DeviceError('DEVICE_PROTOCOL', `The HID reader driver stopped on an unexpected error (${detail}); close and reopen it.`, { cause: error }), false);
      })
      .finally(firstAttemptSettled);
    this.run = { stop, done, firstAttempt };
    return firstAttempt;
  }

  async close(): Promise<void> {
    const run = this.run;
    if (run === null) return;
    run.stop.abort();
    await run.done;
    this.run = null;
    this.emitOutcomes(this.assembler.reset('device closed mid-message'), 0n);
    this.setState({ kind: 'closed' });
  }

  private async keepConnected(stop: AbortSignal, firstAttemptSettled: () => void): Promise<void> {
    let access: HidAccess;
    try {
      access = await this.loadAccess();
    } catch (error) {
      this.fail(hidErrorFor(error, 'load'), false);
      return;
    }
    let backoffMs = this.backoff.firstDelayMs;
    while (!stop.aborted) {
      const connection = await this.connect(access);
      firstAttemptSettled();
      if (stop.aborted) {
        if (connection !== null) await this.closeQuietly(connection);
        return;
      }
      if (connection !== null) {
        backoffMs = this.backoff.firstDelayMs;
        try {
          await this.readUntilGone(connection, stop);
        } finally {
          await this.closeQuietly(connection);
        }
        if (stop.aborted) return;
      }
      await this.wait(backoffMs, stop);
      backoffMs = Math.min(backoffMs * 2, this.backoff.maxDelayMs);
    }
  }

  /** Finds and opens the device; on failure sets the error state and returns null. */
  private async connect(access: HidAccess): Promise<HidConnection | null> {
    const { vendorId, productId } = this.options;
    let device: HidDeviceInfo | undefined;
    try {
      device = this.choose(await access.enumerate(vendorId, productId));
    } catch (error) {
      this.fail(hidErrorFor(error, 'enumerate'), true);
      return null;
    }
    if (device === undefined) {
      const where = this.options.path === undefined ? '' : ` at ${this.options.path}`;
      const missing = new DeviceError(
        'DEVICE_NOT_FOUND',
        `The HID reader ${hex4(vendorId)}:${hex4(productId)}${where} is not plugged in; waiting for it.`,
      );
      // Still missing after an unplug, or still not plugged in: the officer already sees why; keep that.
      const alreadyMissing =
        this.current.kind === 'error' && this.current.retrying && (this.current.code === 'DEVICE_NOT_FOUND' || this.current.code === 'DEVICE_CLOSED');
      if (!alreadyMissing) this.fail(missing, true);
      return null;
    }
    this.setState({ kind: 'connecting' });
    try {
      const connection = await access.open(device.path);
      this.setState({ kind: 'ready' });
      return connection;
    } catch (error) {
      this.fail(hidErrorFor(error, 'open', device.path), true);
      return null;
    }
  }

  private choose(devices: readonly HidDeviceInfo[]): HidDeviceInfo | undefined {
    if (this.options.path !== undefined) return devices.find((device) => device.path === this.options.path);
    return devices.find((device) => device.usagePage === BAR_CODE_SCANNER_USAGE_PAGE) ?? devices[0];
  }

  private async readUntilGone(connection: HidConnection, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      let report: Uint8Array | null;
      try {
        report = await connection.read(this.readTimeoutMs);
      } catch (error) {
        if (stop.aborted) return;
        const receivedAt = this.now();
        this.emitOutcomes(this.assembler.reset('device unplugged mid-message'), receivedAt);
        this.fail(
          new DeviceError('DEVICE_CLOSED', 'The HID reader stopped answering (unplugged or switched off?); waiting for it to come back.', {
            cause: error,
          }),
          true,
        );
        return;
      }
      const receivedAt = this.now();
      const atMs = Number(receivedAt / 1_000_000n);
      this.emitOutcomes(report === null ? this.assembler.expire(atMs) : this.assembler.push(report, atMs), receivedAt);
    }
  }

  private emitOutcomes(outcomes: readonly HidPosOutcome[], receivedAt: bigint): void {
    for (const outcome of outcomes) {
      if (outcome.kind === 'message') this.emit('document', { text: outcome.text, framing: 'hid-pos', receivedAt });
      else this.emit('discarded', { count: outcome.count, reason: outcome.reason });
    }
  }

  private async closeQuietly(connection: HidConnection): Promise<void> {
    try {
      await connection.close();
    } catch {
      // Closing a device that is already unplugged fails, and there is nothing left to release
      // or to tell: the state already says the reader is gone.
    }
  }

  private fail(error: DeviceError, retrying: boolean): void {
    this.setState({ kind: 'error', reason: error.message, retrying, code: error.code });
  }

  private setState(state: DeviceState): void {
    const same =
      state.kind === this.current.kind &&
      (state.kind !== 'error' ||
        (this.current.kind === 'error' && state.reason === this.current.reason && state.retrying === this.current.retrying && state.code === this.current.code));
    this.current = state;
    if (!same) this.emit('state', state);
  }

  private emit<E extends keyof MrzReaderEvents>(event: E, ...args: Parameters<MrzReaderEvents[E]>): void {
    for (const listener of this.listeners[event]) (listener as (...values: Parameters<MrzReaderEvents[E]>) => void)(...args);
  }
}
