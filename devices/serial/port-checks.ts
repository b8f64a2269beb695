import { stat } from 'node:fs/promises';
import type { SerialPort } from 'serialport';
import type { DeviceErrorCode } from '../types';

/**
 * What both serial wrappers (SerialLine for the MRZ readers, the fingerprint scanners'
 * transport) need to know about a port besides its bytes: why it did not open, and whether
 * its path still leads to the device that was opened.
 */

/** Which device node the path leads to now (through any links), or null when it leads nowhere. */
export async function deviceNodeOf(path: string): Promise<string | null> {
  try {
    const node = await stat(path);
    return `${node.dev}:${node.ino}:${node.rdev}`;
  } catch {
    // Gone (ENOENT, a dangling link) or unreadable: either way not the device that was opened.
    return null;
  }
}

/** Closes a port; one that went away may fail to close (EIO, EBADF), and its descriptor is released either way. */
export function closePort(port: SerialPort): Promise<void> {
  return new Promise((resolve) => port.close(() => resolve()));
}

/**
 * Why a port did not open, in words IT staff can act on (serialport gives the operating
 * system's message, no code). `device` names what should be at the path ("the reader").
 */
export function describeOpenFailure(path: string, failure: Error, device: string): { reason: string; code?: DeviceErrorCode } {
  const message = failure.message.replace(/^Error: /, '');
  if (/no such file|cannot find|not found|ENOENT/i.test(message)) {
    return { code: 'DEVICE_NOT_FOUND', reason: `No device at ${path}: is ${device} plugged in, and is the path right? (npm run devices -- list)` };
  }
  if (/permission denied|access denied|operation not permitted|EACCES|EPERM/i.test(message)) {
    return { code: 'DEVICE_PERMISSION', reason: `No permission to open ${path}: add the station's user to the 'dialout' group, then log in again.` };
  }
  if (/cannot lock|resource temporarily unavailable|busy/i.test(message)) {
    return { code: 'DEVICE_BUSY', reason: `${path} is in use by another program.` };
  }
  return { reason: `${path} could not be opened: ${message}` };
}
