import { closePort, describeOpenFailure, deviceNodeOf } from '../serial/port-checks';
import type { SerialAddress } from '../serial/serial-line';
import { loadSerialPortLibrary, type LoadSerialPortLibrary, type SerialPortLibrary } from '../serial/serialport-library';
import { DeviceError } from '../types';

/**
 * The byte pipe a fingerprint driver talks through: a serial port here, an in-memory wire
 * to a simulator for training and demos. The serial MRZ readers' SerialLine reopens a lost
 * port by itself; here the scanner decides (it must set the module up again), so the port is
 * simply reported gone. Both load serialport and read its failures the same way
 * (serialport-library.ts, port-checks.ts).
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

/** Opens a transport, or rejects with a DeviceError saying why (not found, permission, busy, library missing). */
export type TransportOpener = (handlers: TransportHandlers) => Promise<ByteTransport>;

/** How often an open port's device node is looked for. */
const PRESENCE_INTERVAL_MS = 500;

/**
 * A serial port, opened with the serialport library.
 *
 * A vanished device does not always make the port fail: a hung-up pseudo-terminal (and
 * some USB-serial drivers) answer reads with 0 bytes forever, which serialport retries
 * silently. So the device node is also watched: when the path leads nowhere, or to another
 * node, the device is gone.
 */
export function serialTransport(address: SerialAddress, load: LoadSerialPortLibrary = loadSerialPortLibrary): TransportOpener {
  return async (handlers) => {
    let library: SerialPortLibrary;
    try {
      library = await load();
    } catch (cause) {
      if (cause instanceof DeviceError) throw cause;
      throw new DeviceError('DEVICE_LIBRARY_MISSING', `The serial port library (serialport) could not be loaded: ${(cause as Error).message}. Reinstall the station software.`, { cause });
    }
    const port = new library.SerialPort({
      path: address.path,
      baudRate: address.baudRate,
      parity: address.parity,
      dataBits: address.dataBits,
      stopBits: address.stopBits,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => {
        if (!error) return resolve();
        const { reason, code } = describeOpenFailure(address.path, error, 'the fingerprint scanner');
        reject(new DeviceError(code ?? 'DEVICE_NOT_FOUND', reason, { cause: error }));
      }),
    );

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
      // Release the file descriptor of a port that is already dead.
      if (port.isOpen) void closePort(port);
    };
    port.on('data', (chunk: Buffer) => handlers.data(chunk));
    // A hung-up line fails its read (EIO); a pulled USB adapter closes the port with a disconnect error.
    port.on('error', (error: Error) => goAway(`the port failed: ${error.message}`));
    port.on('close', () => goAway('the device was disconnected'));
    // Whatever the OS buffered before we opened is an answer to somebody else's question.
    await new Promise<void>((resolve) => port.flush(() => resolve()));

    // The device node the port was opened on: a path that leads nowhere, or to another node
    // (the scanner unplugged and another device plugged in), is a scanner gone.
    const device = await deviceNodeOf(address.path);
    const checkPresence = async (): Promise<void> => {
      if (closing || gone || !watch) return;
      const now = await deviceNodeOf(address.path);
      if (now !== device) goAway(now === null ? `${address.path} disappeared` : `${address.path} leads to another device now`);
    };
    // Only a device with a node to look at is watched (not a Windows COM port).
    if (device !== null) {
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
        if (port.isOpen) await closePort(port);
      },
    };
  };
}
