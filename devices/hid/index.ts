import type { DeviceAddress, DriverFactory, MrzReader } from '../types';
import { DeviceError } from '../types';
import { HidMrzReader } from './hid-mrz-reader';

export { HidMrzReader } from './hid-mrz-reader';
export type { HidMrzReaderOptions } from './hid-mrz-reader';
export type { HidAccess, HidAccessLoader, HidConnection, HidDeviceInfo } from './hid-access';

/** MRZ readers in HID POS mode (protocol 'mrz-hid-pos'), addressed by vendor and product id. */
export const hidPosReaderFactory: DriverFactory = {
  protocol: 'mrz-hid-pos',
  kind: 'mrz-reader',
  transports: ['hid'],
  create(address: DeviceAddress): MrzReader {
    if (address.transport !== 'hid') {
      throw new DeviceError('DEVICE_NOT_FOUND', `A HID POS reader is reached over HID, not over ${address.transport}.`);
    }
    return new HidMrzReader({
      vendorId: address.vendorId,
      productId: address.productId,
      ...(address.path === undefined ? {} : { path: address.path }),
    });
  },
};
