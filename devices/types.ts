/**
 * What every device driver looks like to the rest of the station, whatever the wire:
 * serial (USB-CDC), HID, a keyboard wedge handled by the renderer, a simulator, or a
 * vendor SDK. The device manager (main/devices) only ever talks to these interfaces.
 *
 * A driver reports through events, never by throwing at its caller: a device that is
 * unplugged, switched off mid-message or sends garbage is an event ('state' with a reason)
 * and the driver recovers by itself where it can.
 */

/** Where a driver is in its life, as the officer is told. */
export type DeviceState =
  | { kind: 'connecting' }
  /** Open and ready: waiting for a document on the glass, or idle between captures. */
  | { kind: 'ready' }
  /** Busy with a capture (a finger being imaged, a template uploaded). */
  | { kind: 'busy'; activity: string }
  /**
   * Not usable now, with why in words IT staff or the officer can act on; `retrying` when the
   * driver keeps trying; `code` when the cause is one of DeviceErrorCode (a missing library, a
   * port that is not there, no permission), so that callers can tell them apart without reading words.
   */
  | { kind: 'error'; reason: string; retrying: boolean; code?: DeviceErrorCode }
  | { kind: 'closed' };

/** How the device is reached: the driver's own settings, stored per station. */
export type DeviceAddress =
  | { transport: 'serial'; path: string; baudRate: number; parity: 'none' | 'even' | 'odd'; dataBits: 7 | 8; stopBits: 1 | 2 }
  | { transport: 'hid'; vendorId: number; productId: number; path?: string }
  | { transport: 'keyboard-wedge' }
  | { transport: 'simulator'; scenario?: string }
  | { transport: 'vendor-sdk'; sdk: string; options: Record<string, string> };

/** A stretch of bytes the driver could not use, kept short (never logged: it may hold a document). */
export interface DiscardedBytes {
  count: number;
  /**
   * Why, in a few fixed words: 'no frame start', 'oversize frame', 'bad block check',
   * 'device closed mid-message', … (the MRZ framings' list: devices/mrz/framing/frame-scanner.ts).
   */
  reason: string;
}

/** What an MRZ reader hands over: the MRZ text of one document, lines separated by '\n'. */
export interface MrzReading {
  text: string;
  /** The framing the document came in (e.g. 'stx-etx', 'soh-bcc', 'json', 'hid-pos', 'keyboard-wedge'). */
  framing: string;
  /** process.hrtime.bigint() when the last byte of the document arrived: latency is measured from here. */
  receivedAt: bigint;
}

export interface MrzReaderEvents {
  state: (state: DeviceState) => void;
  document: (reading: MrzReading) => void;
  discarded: (discarded: DiscardedBytes) => void;
}

export interface MrzReader {
  readonly kind: 'mrz-reader';
  readonly protocol: string;
  on<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this;
  off<E extends keyof MrzReaderEvents>(event: E, listener: MrzReaderEvents[E]): this;
  state(): DeviceState;
  open(): Promise<void>;
  close(): Promise<void>;
}

/** An image of one finger, 8-bit greyscale, row by row. */
export interface FingerImage {
  width: number;
  height: number;
  /** width × height bytes, 0 black to 255 white. */
  pixels: Uint8Array;
  /** Dots per inch, when the module says (500 for most optical modules). */
  dpi: number | null;
}

export interface FingerCapture {
  image: FingerImage;
  /** The module's own template (characteristic file), when it makes one; its format named. */
  template: { format: string; data: Uint8Array } | null;
  /**
   * 0–100. How it is computed depends on the driver and is documented there (the module's
   * own score where it gives one, otherwise an image measure).
   */
  quality: number;
  qualityMethod: string;
}

export interface FingerprintScannerEvents {
  state: (state: DeviceState) => void;
  /** A finger was put on, or taken off, the sensor (as far as the module tells). */
  finger: (present: boolean) => void;
  discarded: (discarded: DiscardedBytes) => void;
}

export interface FingerprintScanner {
  readonly kind: 'fingerprint-scanner';
  readonly protocol: string;
  on<E extends keyof FingerprintScannerEvents>(event: E, listener: FingerprintScannerEvents[E]): this;
  off<E extends keyof FingerprintScannerEvents>(event: E, listener: FingerprintScannerEvents[E]): this;
  state(): DeviceState;
  open(): Promise<void>;
  close(): Promise<void>;
  /** Waits for a finger (at most timeoutMs), images it, uploads image and template. Rejects with a DeviceError. */
  capture(options: { timeoutMs: number; signal?: AbortSignal }): Promise<FingerCapture>;
}

export type Device = MrzReader | FingerprintScanner;

export type DeviceErrorCode =
  | 'DEVICE_NOT_FOUND'
  | 'DEVICE_BUSY'
  | 'DEVICE_CLOSED'
  | 'DEVICE_TIMEOUT'
  | 'NO_FINGER'
  | 'DEVICE_PROTOCOL'
  | 'DEVICE_LIBRARY_MISSING'
  | 'DEVICE_PERMISSION';

export class DeviceError extends Error {
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DeviceError';
  }
}

/**
 * Where a vendor SDK driver (a ten-print scanner, an e-passport chip reader) plugs in: a
 * factory registered under a name, making a device from its address. The built-in
 * drivers register the same way (devices/registry.ts).
 */
export interface DriverFactory {
  /** 'mrz-stx-etx', 'mrz-soh-bcc', 'mrz-json', 'mrz-hid-pos', 'zfm', 'gt521', or a vendor's. */
  readonly protocol: string;
  readonly kind: Device['kind'];
  /** The transports it can use. */
  readonly transports: DeviceAddress['transport'][];
  create(address: DeviceAddress): Device;
}
