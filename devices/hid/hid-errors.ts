import { DeviceError } from '../types';

/**
 * What a HID library failure means for the officer and IT staff. The patterns are node-hid's
 * (hidapi's) wording; the simulated bus uses the same wording.
 */

/** Signs in an error's text that the native library, not the device, is the problem. */
const LIBRARY_MISSING =
  /cannot open shared object file|libusb|libudev|cannot find module|no native build|dlopen|invalid elf header|compiled against a different node/i;
const PERMISSION = /permission denied|access denied|eacces|eperm/i;
const BUSY = /busy|sharing violation/i;

const LIBRARY_HELP =
  "IT: install libusb-1.0 (Debian/Ubuntu: apt install libusb-1.0-0; udev is needed too), give the station's user " +
  'access to /dev/hidraw* (the udev rule is in docs/devices.md), then restart MIS Station.';
const PERMISSION_HELP =
  "IT: give the station's user access to /dev/hidraw* with a udev rule (docs/devices.md), then unplug the reader " +
  'and plug it back in.';

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a node-hid failure means for the officer and IT staff, as a DeviceError with a code. */
export function hidErrorFor(error: unknown, doing: 'load' | 'enumerate' | 'open', path?: string): DeviceError {
  if (error instanceof DeviceError) return error;
  const detail = detailOf(error);
  const options = { cause: error };
  if (doing === 'load' || LIBRARY_MISSING.test(detail)) {
    return new DeviceError('DEVICE_LIBRARY_MISSING', `The HID library could not load on this computer (${detail}). ${LIBRARY_HELP}`, options);
  }
  const where = path === undefined ? '' : ` at ${path}`;
  if (PERMISSION.test(detail)) {
    return new DeviceError('DEVICE_PERMISSION', `No permission to open the HID reader${where}. ${PERMISSION_HELP}`, options);
  }
  if (BUSY.test(detail)) {
    return new DeviceError('DEVICE_BUSY', `The HID reader${where} is in use by another program (${detail}). Close it, or unplug and replug the reader.`, options);
  }
  if (doing === 'enumerate') {
    return new DeviceError('DEVICE_NOT_FOUND', `Could not list the HID devices (${detail}).`, options);
  }
  return new DeviceError('DEVICE_NOT_FOUND', `Could not open the HID reader${where} (${detail}); it may have been unplugged.`, options);
}
