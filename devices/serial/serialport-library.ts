import type { SerialPort } from 'serialport';
import { DeviceError } from '../types';

/**
 * serialport is loaded the first time a serial device is opened or listed, not when the
 * station starts: its native binding may be missing or built for another Node/Electron, and
 * that must cost the officer the serial devices only, with a state that says why, never
 * the application.
 */
export interface SerialPortLibrary {
  SerialPort: typeof SerialPort;
}

/** What the system says about a serial port (udev on Linux): path, vendor and product ids, maker. */
export type SerialPortInfo = Awaited<ReturnType<(typeof SerialPort)['list']>>[number];

export type LoadSerialPortLibrary = () => Promise<SerialPortLibrary>;

let loaded: SerialPortLibrary | null = null;

/** Loads serialport, or rejects with a DeviceError 'DEVICE_LIBRARY_MISSING' that says what to do. */
export const loadSerialPortLibrary: LoadSerialPortLibrary = async () => {
  if (loaded) return loaded;
  try {
    const library = await import('serialport');
    loaded = { SerialPort: library.SerialPort };
    return loaded;
  } catch (error) {
    throw new DeviceError(
      'DEVICE_LIBRARY_MISSING',
      `The serial port library (serialport) could not be loaded: ${error instanceof Error ? error.message : String(error)}. ` +
        'Reinstall the application (or run npm install) so that its native part matches this machine.',
      { cause: error },
    );
  }
};
