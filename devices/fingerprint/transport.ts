import { stat } from 'node:fs/promises';
import type { SerialPort } from 'serialport';
import { DeviceError, type DeviceAddress } from '../types';

/**
 * The byte pipe a fingerprint driver talks through: a serial port here, an in-memory wire
 * to a simulator for training and demos. Deliberately small (the serial MRZ readers have
 * their own serialport wrapper; the two can merge once both have settled).
 */
export interface ByteTransport {
  /** Resolves once the bytes are handed to the operating system. */
  write(bytes: Uint8Array): Promise<void>;
  /** Switches the host side's speed (after the module was told to switch). */
  setBaudRate(baudRate: number): Promise<void>;
  /** Looks whether the device is still there; if not, reports it gone (before resolving). */
  checkPresence(): Promise<void>;
  close(): Promise<void>;
}

export interface TransportHandlers {
  data(bytes: Uint8Array): void;
  /** The device went away (unplugged, powered off, port failed). Called at most once. */
  gone(reason: string): void;
}

export type SerialAddress = Extract<DeviceAddress, { transport: 'serial' }>;

/** Opens a transport, or rejects with a DeviceError saying why (not found, permission, busy, library missing). */
export type TransportOpener = (handlers: TransportHandlers) => Promise<ByteTransport>;

type SerialPortLibrary = { SerialPort: typeof SerialPort };

/** serialport is a native module: loaded only when a serial device is opened, so a broken install fails that device, not the station. */
const loadSerialPort = (): Promise<SerialPortLibrary> => import('serialport');

/** How often an open port's device node is looked for. */
const PRESENCE_INTERVAL_MS = 500;

/**
 * A serial port, opened with the serialport library.
 *
 * A vanished device does not always make the port fail: a hung-up pseudo-terminal (and
 * some USB-serial drivers) answer reads with 0 bytes forever, which serialport retries
 * silently. So the device node is also watched: when it disappears, the device is gone.
 */
export function serialTransport(address: SerialAddress, load: () => Promise<SerialPortLibrary> = loadSerialPort): TransportOpener {
  return async (handlers) => {
    let library: SerialPortLibrary;
    try {
      library = await load();
    } catch (cause) {
      throw new DeviceError('DEVICE_LIBRARY_MISSING', 'The serial port library (serialport) could not be loaded: reinstall the station software.', { cause });
    }
    const port = new library.SerialPort({
      path: address.path,
      baudRate: address.baudRate,
      parity: address.parity,
      dataBits: address.dataBits,
      stopBits: address.stopBits,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(openError(address.path, error)) : resolve())));

    let closing = false;
    let gone = false;
    let watch: NodeJS.Timeout | undefined;
    // serialport holds a write or drain on a port that is not open until the port opens
    // again, which a vanished device's port never does: such writes are failed here.
    const writing = new Set<(error: DeviceError) => void>();
    const failWrites = (why: string): void => {
      for (const fail of [...writing]) fail(new DeviceError('DEVICE_CLOSED', `Could not write to ${address.path}: ${why}.`));
    };
    const goAway = (reason: string): void => {
      if (closing || gone) return;
      gone = true;
      clearInterval(watch);
      failWrites(reason);
      handlers.gone(reason);
      // Release the file descriptor of a port that is already dead; its close error says nothing new.
      if (port.isOpen) port.close(() => undefined);
    };
    port.on('data', (chunk: Buffer) => handlers.data(chunk));
    // A hung-up line fails its read (EIO); a pulled USB adapter closes the port with a disconnect error.
    port.on('error', (error: Error) => goAway(`the port failed: ${error.message}`));
    port.on('close', () => goAway('the device was disconnected'));
    // Whatever the OS buffered before we opened is an answer to somebody else's question.
    await new Promise<void>((resolve) => port.flush(() => resolve()));

    const checkPresence = async (): Promise<void> => {
      if (closing || gone || !watch) return;
      await stat(address.path).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => goAway(`${address.path} disappeared (${error.code ?? error.message})`),
      );
    };
    // Only a device with a node to look at is watched (not a Windows COM port).
    const hasNode = await stat(address.path).then(
      () => true,
      () => false,
    );
    if (hasNode) {
      watch = setInterval(() => void checkPresence(), PRESENCE_INTERVAL_MS);
      watch.unref();
    }

    return {
      write: (bytes) =>
        new Promise<void>((resolve, reject) => {
          if (closing || gone || !port.isOpen) {
            reject(new DeviceError('DEVICE_CLOSED', `Could not write to ${address.path}: the port is closed.`));
            return;
          }
          const fail = (error: DeviceError): void => {
            writing.delete(fail);
            reject(error);
          };
          writing.add(fail);
          port.write(Buffer.from(bytes));
          port.drain((error) => {
            writing.delete(fail);
            if (error) reject(new DeviceError('DEVICE_CLOSED', `Could not write to ${address.path}: ${error.message}`, { cause: error }));
            else resolve();
          });
        }),
      setBaudRate: (baudRate) =>
        new Promise<void>((resolve, reject) =>
          port.update({ baudRate }, (error) => (error ? reject(new DeviceError('DEVICE_PROTOCOL', `${address.path} cannot run at ${baudRate} baud: ${error.message}`, { cause: error })) : resolve())),
        ),
      checkPresence,
      close: async () => {
        closing = true;
        clearInterval(watch);
        failWrites('the port was closed');
        if (!port.isOpen) return;
        // A port that vanished while closing has nothing left to release.
        await new Promise<void>((resolve) => port.close(() => resolve()));
      },
    };
  };
}

/** serialport's open errors carry no code, only the OS message. */
function openError(path: string, error: Error): DeviceError {
  const message = error.message;
  if (/no such file|cannot find|not found|ENOENT/i.test(message)) {
    return new DeviceError('DEVICE_NOT_FOUND', `No device at ${path}: is the fingerprint scanner plugged in?`, { cause: error });
  }
  if (/permission denied|access denied|EACCES|EPERM/i.test(message)) {
    return new DeviceError('DEVICE_PERMISSION', `No permission to open ${path}: the station's user needs access to serial ports (e.g. the dialout group).`, { cause: error });
  }
  if (/resource temporarily unavailable|cannot lock|busy|EBUSY/i.test(message)) {
    return new DeviceError('DEVICE_BUSY', `${path} is in use by another program.`, { cause: error });
  }
  return new DeviceError('DEVICE_NOT_FOUND', `Could not open ${path}: ${message}`, { cause: error });
}
